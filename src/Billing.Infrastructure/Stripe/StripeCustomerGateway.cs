using Billing.Application.Checkout;
using global::Stripe;

namespace Billing.Infrastructure.Stripe;

/// <summary>Creates tenants' customers with Stripe.net's <see cref="CustomerService"/>.</summary>
internal sealed class StripeCustomerGateway(IStripeClient stripeClient, StripeCalls calls) : IStripeCustomerGateway
{
    private const string CreateOperation = "customers.create";
    private const string UpdateOperation = "customers.update";

    private readonly CustomerService customers = new(stripeClient);

    /// <summary>The idempotency key of a tenant's customer creation: the same on every instance and after any restart.</summary>
    public static string IdempotencyKey(Guid tenantId) => $"billing-tenant-customer-{tenantId:D}";

    public async Task<string> CreateAsync(NewStripeCustomer customer, CancellationToken cancellationToken)
    {
        var created = await calls.RunAsync(CreateOperation, stripeCustomerId: null, deadline => customers.CreateAsync(
            new CustomerCreateOptions { Metadata = new() { ["tenant_id"] = customer.TenantId.ToString() } },
            new RequestOptions { IdempotencyKey = IdempotencyKey(customer.TenantId.Value) },
            deadline), cancellationToken);
        if (customer.Email is not null || customer.Name is not null)
        {
            await calls.RunAsync(UpdateOperation, created.Id, deadline => customers.UpdateAsync(
                created.Id, new CustomerUpdateOptions { Email = customer.Email, Name = customer.Name }, requestOptions: null, deadline),
                cancellationToken);
        }

        return created.Id;
    }
}
