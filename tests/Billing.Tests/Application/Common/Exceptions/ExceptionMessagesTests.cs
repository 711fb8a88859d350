using Billing.Application.Common.Exceptions;
using Billing.Domain.Tenants;

namespace Billing.Tests.Application.Common.Exceptions;

/// <summary>These messages reach the logs: each must say what went wrong and for whom, since nothing else will.</summary>
public sealed class ExceptionMessagesTests
{
    private static readonly TenantId Tenant = new(Guid.Parse("9f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"));

    private static IEnumerable<TestCaseData> Messages()
    {
        yield return new TestCaseData(new StripeCustomerNotFoundException(Tenant), new[] { "No Stripe customer", Tenant.ToString() })
            .SetName("Message_StripeCustomerNotFound_NamesTheTenant");
        yield return new TestCaseData(new StripeSubscriptionNotFoundException(Tenant), new[] { "No Stripe subscription", Tenant.ToString() })
            .SetName("Message_StripeSubscriptionNotFound_NamesTheTenant");
        yield return new TestCaseData(new TenantContextMissingException(), new[] { "no valid tenant claim" })
            .SetName("Message_TenantContextMissing_SaysTheTenantClaimIsMissing");
        yield return new TestCaseData(new UnknownStripeCustomerException("cus_Gone", "req_42"), new[] { "cus_Gone", "request req_42" })
            .SetName("Message_UnknownStripeCustomer_NamesTheCustomerAndStripesRequestId");
        yield return new TestCaseData(new UnknownStripeCustomerException("cus_Gone", null), new[] { "cus_Gone", "request n/a" })
            .SetName("Message_UnknownStripeCustomerWithoutRequestId_SaysNotAvailable");
        yield return new TestCaseData(new StripeWebhooksDisabledException(), new[] { "webhooks are off", "Stripe:WebhookSecrets" })
            .SetName("Message_StripeWebhooksDisabled_NamesTheMissingSetting");
        yield return new TestCaseData(new InvalidStripeSignatureException(), new[] { "Stripe-Signature does not verify" })
            .SetName("Message_InvalidStripeSignature_SaysTheSignatureDoesNotVerify");
        yield return new TestCaseData(new InvalidStripeEventException(), new[] { "not a Stripe event" })
            .SetName("Message_InvalidStripeEvent_SaysTheDeliveryIsNotAnEvent");
    }

    [TestCaseSource(nameof(Messages))]
    public void Message_Always_SaysWhatAndWhom(Exception exception, string[] expectedParts)
    {
        Assert.Multiple(() =>
        {
            foreach (var part in expectedParts)
            {
                Assert.That(exception.Message, Does.Contain(part));
            }
        });
    }
}
