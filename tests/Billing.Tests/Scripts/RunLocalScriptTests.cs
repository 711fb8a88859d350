using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Billing.Tests.Support;

namespace Billing.Tests.Scripts;

/// <summary>
/// The README's first command, <c>scripts/run-local.sh</c> with no Stripe key, as a developer meets it on a fresh
/// clone: run in a copy of the repository's files (nothing built, no .local), on free ports, until it prints the
/// demo tenant's token; then the API, the Stripe emulator and the SPA it started are asked what a user would ask.
/// </summary>
[Category("Integration")]
public sealed partial class RunLocalScriptTests
{
    // It builds the API, the emulator and the SPA's server from nothing first.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private readonly HttpClient http = new();
    private readonly Uri apiUrl = LoopbackUrl();
    private readonly Uri emulatorUrl = LoopbackUrl();
    private readonly Uri spaUrl = LoopbackUrl();
    private readonly int postgresPort = UnusedPort.Next();
    private RepositoryCopy? clone;
    private ScriptProcess? script;
    private string token = null!;

    [OneTimeSetUp]
    public async Task RunTheScriptInAFreshClone()
    {
        try
        {
            clone = await RepositoryCopy.CreateAsync();
            script = ScriptProcess.Start(clone.Root, "scripts/run-local.sh", new Dictionary<string, string?>
            {
                ["Stripe__SecretKey"] = null,
                ["BILLING_API_URL"] = Origin(apiUrl),
                ["BILLING_EMULATOR_URL"] = Origin(emulatorUrl),
                ["BILLING_SPA_URL"] = Origin(spaUrl),
                ["BILLING_PG_PORT"] = postgresPort.ToString(CultureInfo.InvariantCulture),
                // No build node or MSBuild server may outlive the script's process group.
                ["MSBUILDDISABLENODEREUSE"] = "1",
                ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            });
            token = await script.WaitForLineAsync(Jwt().IsMatch, "the demo tenant's token", StartTimeout);
        }
        catch
        {
            await StopEverything();
            throw;
        }
    }

    [OneTimeTearDown]
    public async Task StopEverything()
    {
        http.Dispose();
        if (script is not null)
        {
            await script.StopAsync(TimeSpan.FromSeconds(30));
            await script.DisposeAsync();
            script = null;
        }

        if (clone is not null)
        {
            // PostgreSQL outlives the script on purpose (a developer's data is kept); not this clone's.
            await PostgresServer.LocalCluster.StopForeignAsync(Path.Combine(clone.Root, ".local", "pgdata"));
            clone.Dispose();
            clone = null;
        }
    }

    [Test]
    public async Task Run_NoStripeKey_ServesAReadyApi()
    {
        using var response = await http.GetAsync(new Uri(apiUrl, "/health/ready"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Run_NoStripeKey_CheckoutWithThePrintedTokenOpensTheEmulatorsCheckoutPage()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(apiUrl, "/api/subscriptions/checkout"))
        {
            Content = JsonContent.Create(new { priceId = "price_demo_team" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var checkout = await http.SendAsync(request);
        var answer = await checkout.Content.ReadFromJsonAsync<CheckoutAnswer>();
        Assert.That(checkout.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the demo tenant subscribes; Checkout creates its customer");

        using var page = await http.GetAsync(new Uri(answer!.Url));
        var html = await page.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(answer.Url, Does.StartWith($"{Origin(emulatorUrl)}/c/pay/"));
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Contain("id=\"pay\""), "the emulator's Pay button");
        });
    }

    [Test]
    public async Task Run_NoStripeKey_ServesTheSpaWhereStripeSendsUsersBack()
    {
        using var page = await http.GetAsync(new Uri(spaUrl, "/settings/billing?checkout=cancelled"));
        var html = await page.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Contain("<meta name=\"billing-api\""), "the SPA's index.html");
        });
    }

    private static Uri LoopbackUrl() => new($"http://127.0.0.1:{UnusedPort.Next()}");

    private static string Origin(Uri url) => url.GetLeftPart(UriPartial.Authority);

    // The token is printed alone on its line, below its heading.
    [GeneratedRegex(@"^eyJ[\w-]+\.[\w-]+\.[\w-]+$")]
    private static partial Regex Jwt();

    private sealed record CheckoutAnswer(string Url);
}
