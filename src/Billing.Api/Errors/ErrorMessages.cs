namespace Billing.Api.Errors;

/// <summary>
/// The <c>error</c> texts of the HTTP contract. SPAs written against the original <c>{ "error": "..." }</c>
/// contract compare these strings, so they never change.
/// </summary>
internal static class ErrorMessages
{
    public const string Unauthorized = "Unauthorized";
    public const string NoTenantContext = "No tenant context found";
    public const string NoStripeCustomer = "No Stripe customer found for this tenant";
    public const string NoStripeSubscription = "No Stripe subscription found for this tenant";
    public const string Forbidden = "Forbidden";
    public const string TooManyRequests = "Too many requests";
    public const string InternalServerError = "Internal server error";
    public const string ValidationFailed = "Validation failed";
    public const string ContentTooLarge = "Content Too Large";
    public const string NotFound = "Not Found";
    public const string InvalidSignature = "Invalid signature";
    public const string InvalidEvent = "Invalid event";
    public const string SubscriptionExists = "Subscription already exists";
    public const string StripeBusy = "Billing is busy, try again shortly";
}
