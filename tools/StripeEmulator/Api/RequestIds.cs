using StripeEmulator.State;

namespace StripeEmulator.Api;

/// <summary>Gives every answer a <c>Request-Id: req_…</c> header, as Stripe does; events caused by the request name it.</summary>
internal static class RequestIds
{
    private const string ItemKey = "StripeEmulator.RequestId";

    public static ValueTask<object?> StampAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var id = Ids.New("req_");
        context.HttpContext.Items[ItemKey] = id;
        context.HttpContext.Response.Headers["Request-Id"] = id;
        return next(context);
    }

    /// <summary>The id <see cref="StampAsync"/> gave this request.</summary>
    public static string Of(HttpContext context) => (string)context.Items[ItemKey]!;
}
