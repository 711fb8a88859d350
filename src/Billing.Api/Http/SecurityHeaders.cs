namespace Billing.Api.Http;

internal static class SecurityHeaders
{
    /// <summary>
    /// Every answer carries a bearer credential or tenant data, so nothing may be cached, and nothing sniffed
    /// into another content type. Set when the headers go out, so that whoever wrote the response is covered.
    /// </summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
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
