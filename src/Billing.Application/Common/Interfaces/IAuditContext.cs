namespace Billing.Application.Common.Interfaces;

/// <summary>Who is asking and from where, as far as the audit trail needs to know.</summary>
public interface IAuditContext
{
    /// <summary>The caller's subject (<c>sub</c> claim).</summary>
    string? UserId { get; }

    string? ClientIp { get; }

    string? UserAgent { get; }

    /// <summary>The W3C trace id that also appears in logs and in error bodies' <c>traceId</c>.</summary>
    string? TraceId { get; }
}
