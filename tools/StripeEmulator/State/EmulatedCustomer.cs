namespace StripeEmulator.State;

/// <summary>A customer, as the emulator keeps it.</summary>
public sealed record EmulatedCustomer(string Id, string? Email, string? Name, IReadOnlyDictionary<string, string> Metadata, DateTimeOffset Created);
