using FluentValidation;

namespace Billing.Application.PortalSessions;

/// <summary>Refuses anything in a portal session request that we would not send to Stripe as it is.</summary>
public sealed class PortalSessionRequestValidator : AbstractValidator<PortalSessionRequest>
{
    public PortalSessionRequestValidator(ReturnUrlPolicy returnUrls)
    {
        RuleFor(request => request.ReturnUrl)
            .Must(returnUrls.IsAllowed)
            .OverridePropertyName("returnUrl")
            .WithMessage($"returnUrl must be a path starting with a single '/', or an https URL on an allowed origin, of at most {ReturnUrlPolicy.MaxLength} characters.");

        RuleFor(request => request.Flow)
            .Must(flow => flow is null || PortalFlows.TryParse(flow, out _))
            .OverridePropertyName("flow")
            .WithMessage($"flow must be one of: {string.Join(", ", PortalFlows.WireNames)}.");

        RuleFor(request => request.Locale)
            .Must(locale => locale is null || PortalLocales.All.Contains(locale))
            .OverridePropertyName("locale")
            .WithMessage("locale must be 'auto' or a locale Stripe's billing portal supports, such as 'fr' or 'pt-BR'.");
    }
}
