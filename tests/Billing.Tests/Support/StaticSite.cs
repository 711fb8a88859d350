using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;

namespace Billing.Tests.Support;

/// <summary>
/// A folder of static files served on its own loopback port, i.e. from an origin of its own, as an SPA's host serves
/// it: any path that names no file gets index.html, so that Stripe's way back (<c>/settings/billing?...</c>) opens the app.
/// </summary>
internal sealed class StaticSite : IAsyncDisposable
{
    private readonly WebApplication app;

    private StaticSite(WebApplication app) => this.app = app;

    /// <summary>The site's origin, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Origin => LoopbackHost.BaseUrl(app);

    public static async Task<StaticSite> StartAsync(string folder)
    {
        var app = LoopbackHost.CreateBuilder().Build();
        var files = new PhysicalFileProvider(folder);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        app.MapFallbackToFile("index.html", new StaticFileOptions { FileProvider = files });
        await app.StartAsync();
        return new StaticSite(app);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
