using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Billing.Tests.Support;

/// <summary>What the fake received: one HTTP request to Stripe's billing portal sessions endpoint.</summary>
internal sealed record StripeRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Form,
    string? IdempotencyKey,
    string? Authorization);

/// <summary>
/// A loopback stand-in for api.stripe.com that speaks the wire format Stripe.net expects: it records every request
/// to <c>POST /v1/billing_portal/sessions</c> and answers as the current test tells it to.
/// </summary>
internal sealed class StripeFake : IAsyncDisposable
{
    public const string SessionsPath = "/v1/billing_portal/sessions";

    /// <summary>The configuration the fake reports when the request names none, like an account's default.</summary>
    public const string DefaultConfigurationId = "bpc_fake_default";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<StripeRequest> requests = new();
    private Func<StripeRequest, HttpContext, Task> responder = RespondWithSessionAsync;
    private int requestCounter;

    private StripeFake(WebApplication app)
    {
        this.app = app;
        app.MapPost(SessionsPath, HandleAsync);
    }

    public string BaseUrl => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
        .Addresses.Single();

    public IReadOnlyList<StripeRequest> Requests => requests.ToArray();

    public static async Task<StripeFake> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(1));
        var fake = new StripeFake(builder.Build());
        await fake.app.StartAsync();
        return fake;
    }

    /// <summary>Forgets what was received, numbers request ids from req_fake_1 again, and answers with a created session again.</summary>
    public void Reset()
    {
        requests.Clear();
        responder = RespondWithSessionAsync;
        Interlocked.Exchange(ref requestCounter, 0);
    }

    /// <summary>Answers every request with a Stripe error object.</summary>
    public void RespondWithError(int status, string type, string? code = null, string? param = null, string message = "Something went wrong.") =>
        responder = (_, context) =>
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsJsonAsync(new { error = new { type, code, param, message } });
        };

    /// <summary>Never answers, until the client gives up.</summary>
    public void Hang() => responder = (_, context) => Task.Delay(Timeout.Infinite, context.RequestAborted);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var request = new StripeRequest(
            context.Request.Method,
            context.Request.Path,
            form.ToDictionary(field => field.Key, field => field.Value.ToString()),
            context.Request.Headers["Idempotency-Key"].FirstOrDefault(),
            context.Request.Headers.Authorization.FirstOrDefault());
        requests.Enqueue(request);
        context.Response.Headers["Request-Id"] = $"req_fake_{Interlocked.Increment(ref requestCounter)}";
        await responder(request, context);
    }

    private static Task RespondWithSessionAsync(StripeRequest request, HttpContext context)
    {
        var id = $"bps_{Guid.NewGuid():N}";
        return context.Response.WriteAsJsonAsync(new
        {
            id,
            @object = "billing_portal.session",
            customer = request.Form.GetValueOrDefault("customer"),
            livemode = false,
            configuration = request.Form.GetValueOrDefault("configuration") ?? DefaultConfigurationId,
            locale = request.Form.GetValueOrDefault("locale"),
            return_url = request.Form.GetValueOrDefault("return_url"),
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            url = SessionUrl(id),
        });
    }

    /// <summary>The URL the fake hands out for a session id.</summary>
    public static string SessionUrl(string sessionId) => $"https://billing.stripe.com/p/session/test_{sessionId}";
}
