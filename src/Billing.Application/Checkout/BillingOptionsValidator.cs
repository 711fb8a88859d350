using Billing.Application.Common.Configuration;
using Microsoft.Extensions.Options;

namespace Billing.Application.Checkout;

/// <summary>The rules of <see cref="BillingOptions"/>, checked at start-up.</summary>
public sealed class BillingOptionsValidator : IValidateOptions<BillingOptions>
{
    public ValidateOptionsResult Validate(string? name, BillingOptions options) => new OptionsFailures()
        .Check(options.Plans.All(plan => plan.PriceId.StartsWith("price_", StringComparison.Ordinal) && !plan.PriceId.Any(char.IsWhiteSpace)),
            "Billing:Plans:n:PriceId must be a Stripe price id (price_...).")
        .Check(options.Plans.All(plan => !string.IsNullOrWhiteSpace(plan.Name)), "Billing:Plans:n:Name must not be empty.")
        .Check(options.Plans.DistinctBy(plan => plan.PriceId, StringComparer.Ordinal).Count() == options.Plans.Length,
            "Billing:Plans must not name the same PriceId twice.")
        .ToResult();
}
