namespace StripeEmulator.State;

/// <summary>
/// A portal session's <c>flow_data</c>: the one task the portal offers (<see cref="Type"/>, e.g.
/// <c>subscription_cancel</c>, about <see cref="SubscriptionId"/>), and what follows it (<see cref="AfterCompletionType"/>:
/// <c>redirect</c> to <see cref="AfterCompletionReturnUrl"/>, <c>hosted_confirmation</c> or <c>portal_homepage</c>).
/// </summary>
public sealed record EmulatedPortalFlow(string Type, string? SubscriptionId, string AfterCompletionType, string? AfterCompletionReturnUrl)
{
    /// <summary>Where the user goes once the task is done; null stays on the portal.</summary>
    public string? RedirectUrl => AfterCompletionType == "redirect" ? AfterCompletionReturnUrl : null;
}
