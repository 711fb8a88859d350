namespace Billing.Api.Tenancy;

/// <summary>Where a caller's tenant and roles come from (section <c>Tenancy</c>).</summary>
public sealed class TenancyOptions
{
    public const string SectionName = "Tenancy";

    /// <summary>The token claim holding the caller's tenant id, a UUID.</summary>
    public string TenantClaim { get; set; } = "tenant_id";

    /// <summary>The token claim holding the caller's roles: a JSON array, repeated claims, or a space-separated string.</summary>
    public string RoleClaim { get; set; } = "roles";
}
