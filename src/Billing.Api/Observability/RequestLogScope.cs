using System.Collections;
using Billing.Application.PortalAudit;
using Billing.Domain.Tenants;

namespace Billing.Api.Observability;

/// <summary>
/// The log scope of a request that carries a tenant: <c>TenantId</c> from the start, and <c>Outcome</c> once the
/// audit trail has recorded one. Log providers read a scope when they write a line, so every line after the
/// outcome carries it, including the exception filter's error line. The trace id comes from the host's own
/// activity scope.
/// </summary>
internal sealed class RequestLogScope(TenantId tenantId, PortalAuditTrail auditTrail) : IReadOnlyList<KeyValuePair<string, object?>>
{
    // Formatted once: every line written during the request reads it.
    private readonly string tenant = tenantId.ToString();

    public int Count => auditTrail.RecordedOutcome is null ? 1 : 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("TenantId", tenant),
        1 when auditTrail.RecordedOutcome is { } outcome => new("Outcome", outcome.ToWireName()),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var index = 0; index < Count; index++)
        {
            yield return this[index];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => auditTrail.RecordedOutcome is { } outcome
        ? $"TenantId:{tenant}, Outcome:{outcome.ToWireName()}"
        : $"TenantId:{tenant}";
}
