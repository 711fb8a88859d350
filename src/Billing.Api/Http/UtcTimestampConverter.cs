using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.Api.Http;

/// <summary>
/// Writes every timestamp as ISO 8601 UTC with a <c>Z</c> (<c>2026-12-31T00:00:00Z</c>), the form the contract shows
/// and every client parses, instead of System.Text.Json's <c>+00:00</c>. Reads any ISO 8601 offset.
/// </summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}
