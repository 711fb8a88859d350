using System.Diagnostics;
using Billing.Application.Common.Interfaces;

namespace Billing.Api.Auditing;

/// <summary>Who is asking and from where, read from the HTTP request, for the audit trail.</summary>
internal sealed class HttpAuditContext(IHttpContextAccessor httpContextAccessor) : IAuditContext
{
    private HttpContext? HttpContext => httpContextAccessor.HttpContext;

    public string? UserId => HttpContext?.User.FindFirst("sub")?.Value;

    public string? ClientIp => HttpContext?.Connection.RemoteIpAddress is { } address
        ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
        : null;

    public string? UserAgent => HttpContext?.Request.Headers.UserAgent is { Count: > 0 } userAgent ? userAgent.ToString() : null;

    // The same id that error bodies carry as traceId, so a complaint can be matched to its audit row.
    public string? TraceId => Activity.Current?.Id ?? HttpContext?.TraceIdentifier;
}
