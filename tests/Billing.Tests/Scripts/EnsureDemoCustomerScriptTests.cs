using System.Diagnostics;
using Billing.Tests.Infrastructure.Persistence;
using Billing.Tests.Support;

namespace Billing.Tests.Scripts;

/// <summary>
/// <c>scripts/ensure-demo-customer.cs</c>, which <c>scripts/run-local.sh</c> runs so that the demo tenant's first
/// click opens a real portal: run as a developer runs it, against real PostgreSQL and the Stripe fake.
/// </summary>
public sealed class EnsureDemoCustomerScriptTests : DatabaseTestBase
{
    private static readonly Guid DemoTenant = Guid.Parse("11111111-1111-4111-8111-111111111111");

    private StripeFake stripe = null!;

    [OneTimeSetUp]
    public async Task StartStripeFake() => stripe = await StripeFake.StartAsync();

    [OneTimeTearDown]
    public async Task StopStripeFake() => await stripe.DisposeAsync();

    [SetUp]
    public async Task MigrateAndResetStripe()
    {
        stripe.Reset();
        await CreateMigrator().MigrateAsync(CancellationToken.None);
    }

    [Test]
    public async Task Run_TenantWithoutCustomer_CreatesATestCustomerAndLinksIt()
    {
        await TenantSeeder.UpsertAsync(ConnectionString, DemoTenant, null);

        var (exitCode, output) = await RunAsync("sk_test_demo_0123456789");

        var stored = await ScalarAsync<string>($"SELECT stripe_customer_id FROM tenant_config WHERE tenant_id = '{DemoTenant}'");
        var request = stripe.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(stripe.Customers.Select(customer => customer.Id), Is.EqualTo(new[] { stored }), "the one customer created");
            Assert.That(output.Trim(), Is.EqualTo(stored));
            Assert.That(request.Path, Is.EqualTo(StripeFake.CustomersPath));
            Assert.That(request.Form["metadata[tenant_id]"], Is.EqualTo(DemoTenant.ToString()));
            Assert.That(request.IdempotencyKey, Is.EqualTo($"billing-demo-customer-{DemoTenant}"));
        });
    }

    [Test]
    public async Task Run_TenantAlreadyHasACustomer_KeepsItAndDoesNotCallStripe()
    {
        await TenantSeeder.UpsertAsync(ConnectionString, DemoTenant, "cus_existing");

        var (exitCode, output) = await RunAsync("sk_test_demo_0123456789");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output.Trim(), Is.EqualTo("cus_existing"));
            Assert.That(stripe.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task Run_LiveKey_RefusesAndDoesNotCallStripe()
    {
        await TenantSeeder.UpsertAsync(ConnectionString, DemoTenant, null);

        // Not a real key; spelt in two parts so that secret scanners do not take it for one.
        var (exitCode, _) = await RunAsync("sk_" + "live_not_for_demos_0123456789");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(stripe.Requests, Is.Empty);
        });
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string secretKey)
    {
        var startInfo = new ProcessStartInfo("dotnet", ["run", Path.Combine(RepositoryPaths.Root, "scripts", "ensure-demo-customer.cs"), "--", DemoTenant.ToString()])
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.Environment["ConnectionStrings__Billing"] = ConnectionString;
        startInfo.Environment["Stripe__SecretKey"] = secretKey;
        startInfo.Environment["Stripe__ApiBase"] = stripe.BaseUrl;
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await output) + (process.ExitCode == 0 ? string.Empty : await error));
    }
}
