using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Billing.Tests.Support;

/// <summary>One documented answer: an operation's path and method and one of its response statuses.</summary>
internal sealed record DocumentedResponse(string Method, string Path, int Status);

/// <summary>
/// The OpenAPI document as the running API serves it, read as the contract a client would code against: which
/// answers each operation documents, and each answer's media type and body schema as a JSON Schema.
/// </summary>
internal sealed class OpenApiContract(JsonNode document)
{
    private const string ComponentSchemas = "#/components/schemas/";

    public JsonNode Document { get; } = document;

    public static async Task<OpenApiContract> FetchAsync(HttpClient client) =>
        new(JsonNode.Parse(await client.GetStringAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative)))!);

    /// <summary>Every response status of every operation in the document.</summary>
    public IEnumerable<DocumentedResponse> Responses() =>
        from path in Document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        from response in operation.Value!["responses"]!.AsObject()
        select new DocumentedResponse(operation.Key.ToUpperInvariant(), path.Key, int.Parse(response.Key, CultureInfo.InvariantCulture));

    public JsonObject Operation(string method, string path) => Document["paths"]![path]![method.ToLowerInvariant()]!.AsObject();

    /// <summary>A component schema as the document declares it.</summary>
    public JsonObject Schema(string name) => Document["components"]!["schemas"]![name]!.AsObject();

    /// <summary>
    /// The documented media type and body schema of a response, as a draft 2020-12 JSON Schema whose references
    /// into <c>components/schemas</c> resolve to its own <c>$defs</c>.
    /// </summary>
    public (string MediaType, JsonSchema Schema) ResponseSchema(DocumentedResponse response)
    {
        var content = Operation(response.Method, response.Path)["responses"]![response.Status.ToString(CultureInfo.InvariantCulture)]!["content"]!.AsObject();
        var (mediaType, body) = content.Single();
        var schema = ToJsonSchema(body!["schema"]!).AsObject();
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        schema["$defs"] = ToJsonSchema(Document["components"]!["schemas"]!);
        return (mediaType, JsonSchema.FromText(schema.ToJsonString()));
    }

    /// <summary>The failures of a body against a schema, as JSON Schema's list output; null when it is valid.</summary>
    public static string? Violations(JsonSchema schema, string body)
    {
        using var instance = JsonDocument.Parse(body);
        var results = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid ? null : JsonSerializer.Serialize(results);
    }

    /// <summary>
    /// OpenAPI 3.0's schema dialect as JSON Schema: <c>nullable: true</c> becomes a <c>null</c> type, and component
    /// references point into <c>$defs</c>.
    /// </summary>
    private static JsonNode ToJsonSchema(JsonNode node)
    {
        switch (node)
        {
            case JsonObject schema:
                var converted = new JsonObject();
                foreach (var (key, value) in schema)
                {
                    converted[key] = key == "$ref" && value!.GetValue<string>().StartsWith(ComponentSchemas, StringComparison.Ordinal)
                        ? "#/$defs/" + value.GetValue<string>()[ComponentSchemas.Length..]
                        : value is null ? null : ToJsonSchema(value);
                }

                if (converted.Remove("nullable", out var nullable) && nullable!.GetValue<bool>() && converted["type"] is JsonValue type)
                {
                    converted["type"] = new JsonArray(type.GetValue<string>(), "null");
                }

                return converted;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => item is null ? null : ToJsonSchema(item))]);
            default:
                return node.DeepClone();
        }
    }
}
