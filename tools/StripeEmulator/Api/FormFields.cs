namespace StripeEmulator.Api;

/// <summary>Reads Stripe's form encoding, where nested parameters are written <c>metadata[key]=value</c>.</summary>
internal static class FormFields
{
    /// <summary>The request's form; none (a POST without parameters) reads as empty.</summary>
    public static async Task<IFormCollection> ReadAsync(HttpRequest request) =>
        request.HasFormContentType ? await request.ReadFormAsync(request.HttpContext.RequestAborted) : FormCollection.Empty;

    /// <summary>The value of <paramref name="name"/>, or null if it was not sent.</summary>
    public static string? Value(this IFormCollection form, string name) => form.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>The members of a hash parameter: <c>Nested(form, "metadata")</c> reads every <c>metadata[key]</c>.</summary>
    public static Dictionary<string, string> Nested(this IFormCollection form, string prefix) =>
        form.Where(field => field.Key.StartsWith(prefix + "[", StringComparison.Ordinal) && field.Key.EndsWith(']'))
            .ToDictionary(field => field.Key[(prefix.Length + 1)..^1], field => field.Value.ToString());
}
