using Billing.Application.StripeEvents;
using Billing.Domain.Tenants;

namespace Billing.Tests.Application.StripeEvents;

public sealed class StripeEventOutcomeTests
{
    private static readonly TenantId Tenant = new(Guid.Parse("4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e"));

    [Test]
    public void Done_Tenant_IsNotIgnoredConcernsTheTenantAndHasNoNote()
    {
        Assert.That(StripeEventOutcome.Done(Tenant), Is.EqualTo(new StripeEventOutcome(Ignored: false, Tenant, Note: null)));
    }

    [Test]
    public void Ignore_Note_IsIgnoredWithTheNoteAndNoTenant()
    {
        Assert.That(StripeEventOutcome.Ignore("names no customer"),
            Is.EqualTo(new StripeEventOutcome(Ignored: true, TenantId: null, "names no customer")));
    }

    [Test]
    public void Ignore_NoteAndTenant_IsIgnoredWithTheNoteForTheTenant()
    {
        Assert.That(StripeEventOutcome.Ignore("Stripe does not know the customer", Tenant),
            Is.EqualTo(new StripeEventOutcome(Ignored: true, Tenant, "Stripe does not know the customer")));
    }
}
