using Billing.Application.PortalSessions;
using FluentValidation;

namespace Billing.Application.Checkout;

/// <summary>Refuses anything in a checkout request that we would not send to Stripe as it is.</summary>
public sealed class CheckoutRequestValidator : AbstractValidator<CheckoutRequest>
{
    public CheckoutRequestValidator(PlanCatalog plans, ReturnUrlPolicy returnUrls)
    {
        RuleFor(request => request.PriceId)
            .Must(plans.IsOffered)
            .OverridePropertyName("priceId")
            .WithMessage("priceId is required and must be one of the plans of GET /api/subscriptions/plans.");

        RuleFor(request => request.Quantity)
            .InclusiveBetween(1, CheckoutRequest.MaxQuantity)
            .OverridePropertyName("quantity")
            .WithMessage($"quantity must be between 1 and {CheckoutRequest.MaxQuantity}.");

        RuleFor(request => request.SuccessUrl)
            .Must(returnUrls.IsAllowed)
            .OverridePropertyName("successUrl")
            .WithMessage(UrlMessage("successUrl"));

        RuleFor(request => request.CancelUrl)
            .Must(returnUrls.IsAllowed)
            .OverridePropertyName("cancelUrl")
            .WithMessage(UrlMessage("cancelUrl"));

        RuleFor(request => request.Locale)
            .Must(locale => locale is null || CheckoutLocales.All.Contains(locale))
            .OverridePropertyName("locale")
            .WithMessage("locale must be 'auto' or a locale Stripe Checkout supports, such as 'fr' or 'pt-BR'.");
    }

    private static string UrlMessage(string name) =>
        $"{name} must be a path starting with a single '/', or an https URL on an allowed origin, of at most {ReturnUrlPolicy.MaxLength} characters.";
}
