using System.Text.Json;

namespace Billing.Tests.Support;

/// <summary>The members of a problem+json body that the contract fixes.</summary>
internal sealed record ProblemBody(string? Type, string? Title, int? Status, string? TraceId, string? Error, string? Detail)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static ProblemBody Parse(string json) =>
        JsonSerializer.Deserialize<ProblemBody>(json, Web) ?? throw new InvalidOperationException("Empty problem body.");
}
