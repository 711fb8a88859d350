using Billing.Application.Common.Validation;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Billing.Api.Http;

internal static class HttpSetup
{
    // Linux caps a listen backlog at net.core.somaxconn (4096 by default since 5.4).
    private const int ListenBacklog = 4096;

    /// <summary>
    /// Kestrel listens with a backlog of 512. When more clients than that connect at the same moment (a burst of users
    /// opening the portal, or a proxy refilling its pool after a restart), the kernel drops the extra SYNs and each of
    /// those clients waits a whole SYN retransmission (1 s) before its request even starts.
    /// </summary>
    public static IServiceCollection AddListenBacklog(this IServiceCollection services) =>
        services.Configure<SocketTransportOptions>(options => options.Backlog = ListenBacklog);

    public static IServiceCollection AddSpaCors(this IServiceCollection services)
    {
        services.AddOptions<SpaCorsOptions>()
            .BindConfiguration(SpaCorsOptions.SectionName)
            .Validate(options => options.AllowedOrigins.All(UrlRules.IsExactOrigin),
                "Cors:AllowedOrigins must hold exact origins such as https://app.example.com (scheme, host and optional port; no path, no wildcard).")
            .ValidateOnStart();

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<SpaCorsOptions>>((cors, spa) =>
            cors.AddDefaultPolicy(policy => policy
                .WithOrigins(spa.Value.AllowedOrigins)
                .WithMethods(HttpMethods.Post)
                .WithHeaders(HeaderNames.Authorization, HeaderNames.ContentType)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return services;
    }

    /// <summary>
    /// Every answer carries a bearer credential or tenant data, so nothing may be cached, and nothing sniffed
    /// into another content type. Set when the headers go out, so that whoever wrote the response is covered.
    /// </summary>
    public static WebApplication UseNoStoreHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpResponse)state).Headers;
                headers.CacheControl = "no-store";
                headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
        return app;
    }
}
