using Billing.Tests.Support;

namespace Billing.Tests.Browser;

/// <summary>
/// The API on a real Kestrel port, the sample SPA served from another origin, a Stripe fake whose session URLs
/// open a loopback page, and headless Chromium, as a user's browser would meet them.
/// </summary>
// NUnit applies a base fixture's category to every fixture derived from it: all of them stay out of the fast run.
[Category("Integration")]
public abstract class BrowserTestBase
{
    private string connectionString = null!;
    private BillingApiFactory factory = null!;

    internal StripeFake Stripe { get; private set; } = null!;

    internal StaticSite Spa { get; private set; } = null!;

    internal HeadlessChromium Browser { get; private set; } = null!;

    /// <summary>The API's base URL, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    protected string ApiUrl { get; private set; } = null!;

    protected string ConnectionString => connectionString;

    /// <summary>Settings that differ from a working deployment's, besides the SPA's origin.</summary>
    protected virtual IReadOnlyDictionary<string, string?> SettingOverrides { get; } = new Dictionary<string, string?>();

    [OneTimeSetUp]
    public async Task StartEverything()
    {
        connectionString = await PostgresServer.CreateDatabaseAsync();
        Stripe = await StripeFake.StartAsync(portalPagesOnLoopback: true);
        Spa = await StaticSite.StartAsync(RepositoryPaths.SampleSpa);
        var settings = new Dictionary<string, string?>(SettingOverrides)
        {
            ["App:PublicUrl"] = Spa.Origin,
            ["Cors:AllowedOrigins:0"] = Spa.Origin,
        };
        factory = BillingApiFactory.Create(connectionString, Stripe.BaseUrl, settings);
        ApiUrl = factory.StartOnLoopbackKestrel().ToString().TrimEnd('/');
        Browser = HeadlessChromium.Start();
    }

    [OneTimeTearDown]
    public async Task StopEverything()
    {
        Browser?.Dispose();
        await factory.DisposeAsync();
        await Spa.DisposeAsync();
        await Stripe.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(connectionString);
    }

    [SetUp]
    public void ResetStripe() => Stripe.Reset();

    [SetUp]
    public void OpenFreshTab() => Browser.OpenFreshTab();
}
