namespace Billing.Api.Authorization;

/// <summary>The authorization policy of the portal endpoints: an authenticated user holding one of <c>Portal:RequiredRoles</c>.</summary>
internal static class PortalAccessPolicy
{
    public const string Name = "PortalAccess";
}
