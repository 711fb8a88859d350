using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Billing.Application.PortalAudit;

/// <summary>
/// A keyset position in a tenant's trail: the last row a page showed. Opaque to clients, so that the order key can
/// change without breaking them.
/// </summary>
public readonly record struct PortalAuditCursor(DateTimeOffset OccurredAt, long Id)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{OccurredAt.UtcTicks}.{Id}")));

    public static bool TryDecode(string? text, out PortalAuditCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 64 || !Base64Url.IsValid(text))
        {
            return false;
        }

        var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split('.');
        if (parts is [var ticksText, var idText]
            && long.TryParse(ticksText, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks
            && long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            cursor = new PortalAuditCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
            return true;
        }

        return false;
    }
}
