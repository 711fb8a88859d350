#:package Npgsql
#:package Stripe.net
// Stripe.net serialises by reflection, which the native-AOT default of file-based apps turns off.
#:property PublishAot=false

// Gives a local demo tenant a customer in your Stripe *test* account, once, so that the first "Manage billing"
// click opens a real portal. Run by scripts/run-local.sh:
//
//   dotnet run scripts/ensure-demo-customer.cs -- <tenant-id>
//
// Reads ConnectionStrings__Billing, Stripe__SecretKey and optionally Stripe__ApiBase from the environment.
// Prints the tenant's customer id. A tenant that already has one keeps it, and Stripe is not called.
using Npgsql;
using Stripe;

const string SelectSql = "SELECT stripe_customer_id FROM tenant_config WHERE tenant_id = @TenantId";
const string LinkSql = """
    UPDATE tenant_config SET stripe_customer_id = @CustomerId, updated_at = now()
    WHERE tenant_id = @TenantId AND coalesce(stripe_customer_id, '') = ''
    """;

if (args is not [var tenantArgument] || !Guid.TryParse(tenantArgument, out var tenantId))
{
    Console.Error.WriteLine("usage: dotnet run scripts/ensure-demo-customer.cs -- <tenant-id>");
    return 2;
}

var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Billing");
var secretKey = Environment.GetEnvironmentVariable("Stripe__SecretKey") ?? string.Empty;
if (string.IsNullOrWhiteSpace(connectionString))
{
    Console.Error.WriteLine("ConnectionStrings__Billing is not set.");
    return 2;
}

// Demo data never belongs in a live account.
if (!secretKey.StartsWith("sk_test_", StringComparison.Ordinal) && !secretKey.StartsWith("rk_test_", StringComparison.Ordinal))
{
    Console.Error.WriteLine("Stripe__SecretKey is not a test-mode key (sk_test_... or rk_test_...); no demo customer is created.");
    return 1;
}

await using var dataSource = NpgsqlDataSource.Create(connectionString);
if (await FindCustomerAsync() is { Length: > 0 } existing)
{
    Console.WriteLine(existing);
    return 0;
}

var stripe = new StripeClient(new StripeClientOptions
{
    ApiKey = secretKey,
    ApiBase = Environment.GetEnvironmentVariable("Stripe__ApiBase")?.TrimEnd('/'),
});
var customer = await new CustomerService(stripe).CreateAsync(
    new CustomerCreateOptions
    {
        Name = "Billing API demo tenant",
        Description = $"Created by scripts/run-local.sh for local tenant {tenantId}",
        Metadata = new Dictionary<string, string> { ["tenant_id"] = tenantId.ToString() },
    },
    // A rerun after a failure between Stripe and the database gets the same customer back, not a second one.
    new RequestOptions { IdempotencyKey = $"billing-demo-customer-{tenantId}" });

await using (var link = dataSource.CreateCommand(LinkSql))
{
    link.Parameters.AddWithValue("TenantId", tenantId);
    link.Parameters.AddWithValue("CustomerId", customer.Id);
    await link.ExecuteNonQueryAsync();
}

Console.WriteLine(await FindCustomerAsync());
return 0;

async Task<string?> FindCustomerAsync()
{
    await using var select = dataSource.CreateCommand(SelectSql);
    select.Parameters.AddWithValue("TenantId", tenantId);
    return await select.ExecuteScalarAsync() as string;
}
