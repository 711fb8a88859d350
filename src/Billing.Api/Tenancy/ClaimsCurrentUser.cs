using Billing.Application.Common.Interfaces;

namespace Billing.Api.Tenancy;

/// <summary>The signed-in user's OpenID Connect <c>email</c> and <c>name</c> claims, from the validated token only.</summary>
internal sealed class ClaimsCurrentUser(IHttpContextAccessor httpContextAccessor) : ICurrentUser
{
    public string? Email => Claim("email");

    public string? Name => Claim("name");

    private string? Claim(string type) =>
        httpContextAccessor.HttpContext?.User.FindFirst(type)?.Value is { Length: > 0 } value ? value : null;
}
