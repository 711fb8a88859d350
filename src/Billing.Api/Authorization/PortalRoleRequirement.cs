using Microsoft.AspNetCore.Authorization;

namespace Billing.Api.Authorization;

/// <summary>The caller holds one of <c>Portal:RequiredRoles</c>, if any are configured; see <see cref="PortalRoleHandler"/>.</summary>
internal sealed class PortalRoleRequirement : IAuthorizationRequirement;
