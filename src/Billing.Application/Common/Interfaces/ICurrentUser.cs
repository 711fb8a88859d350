namespace Billing.Application.Common.Interfaces;

/// <summary>The signed-in user's contact details, from the token, for a Stripe customer created on their behalf.</summary>
public interface ICurrentUser
{
    /// <summary>The <c>email</c> claim, if any.</summary>
    string? Email { get; }

    /// <summary>The <c>name</c> claim, if any.</summary>
    string? Name { get; }
}
