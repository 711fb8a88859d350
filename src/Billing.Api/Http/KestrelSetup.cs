using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.AspNetCore.WebUtilities;

namespace Billing.Api.Http;

/// <summary>How Kestrel takes connections, and how long a request line and how large its headers may be.</summary>
internal static class KestrelSetup
{
    /// <summary>The longest request target (path and query) served; a longer one gets 414.</summary>
    public const int MaxRequestTargetBytes = 8 * 1024;

    /// <summary>The most header bytes served; more get 431.</summary>
    public const int MaxRequestHeadersBytes = 32 * 1024;

    // Linux caps a listen backlog at net.core.somaxconn (4096 by default since 5.4).
    private const int ListenBacklog = 4096;

    // Kestrel's own limits, above ours, so that a request between the two reaches the pipeline and gets the
    // contract's problem body and security headers. Kestrel refuses a request beyond these while parsing it, before
    // any middleware runs: that 414 or 431 still goes out bare, with no body, no-store or nosniff.
    private const int KestrelRefusesBeyondBytes = 64 * 1024;

    /// <summary>
    /// Kestrel listens with a backlog of 512. When more clients than that connect at the same moment (a burst of users
    /// opening the portal, or a proxy refilling its pool after a restart), the kernel drops the extra SYNs and each of
    /// those clients waits a whole SYN retransmission (1 s) before its request even starts.
    /// </summary>
    public static IServiceCollection AddKestrelLimits(this IServiceCollection services)
    {
        services.Configure<SocketTransportOptions>(options => options.Backlog = ListenBacklog);
        services.Configure<KestrelServerOptions>(options =>
        {
            options.Limits.MaxRequestLineSize = KestrelRefusesBeyondBytes;
            options.Limits.MaxRequestHeadersTotalSize = KestrelRefusesBeyondBytes;
        });
        return services;
    }

    /// <summary>
    /// Answers 414 for a request target over <see cref="MaxRequestTargetBytes"/> and 431 for headers over
    /// <see cref="MaxRequestHeadersBytes"/> with a problem body. These requests are refused before authentication:
    /// no tenant is known yet, so they leave no audit row.
    /// </summary>
    public static WebApplication UseRequestLimits(this WebApplication app)
    {
        app.Use(RefuseOversizedAsync);
        return app;
    }

    private static Task RefuseOversizedAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget.Length > MaxRequestTargetBytes)
        {
            return RefuseAsync(context, StatusCodes.Status414UriTooLong);
        }

        return HeaderBytes(context.Request.Headers) > MaxRequestHeadersBytes
            ? RefuseAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge)
            : next(context);
    }

    /// <summary>As Kestrel counts them: each field as <c>name: value</c> and its line break.</summary>
    private static long HeaderBytes(IHeaderDictionary headers)
    {
        long total = 0;
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                total += name.Length + ": ".Length + (value?.Length ?? 0) + "\r\n".Length;
            }
        }

        return total;
    }

    private static async Task RefuseAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = ReasonPhrases.GetReasonPhrase(status) },
        });
    }
}
