using System.Globalization;
using System.Text.Encodings.Web;
using StripeEmulator.State;

namespace StripeEmulator.Pages;

/// <summary>The hosted pages' building blocks: a plain page, encoded text, a form with one button, a 303 redirect.</summary>
internal static class Html
{
    /// <summary>Encodes text for an element or a quoted attribute; every value a page shows goes through it.</summary>
    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    /// <summary>A page titled <paramref name="title"/>; <paramref name="body"/> is HTML already encoded.</summary>
    public static IResult Page(HttpContext context, string title, string body, int status = StatusCodes.Status200OK)
    {
        // The page's URL is a bearer credential: not cached, and not sent as Referer to the pages it links to.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>{Encode(title)}</title>
            <style>body{"{"}font-family:sans-serif;max-width:36rem;margin:3rem auto{"}"} button{"{"}margin:.25rem 0{"}"}</style></head>
            <body>
            <h1>{Encode(title)}</h1>
            <p><small>Stripe emulator: test mode, nothing is charged.</small></p>
            {body}
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    public static IResult NotFound(HttpContext context, string message) =>
        Page(context, "Not found", $"<p id=\"error\">{Encode(message)}</p>", StatusCodes.Status404NotFound);

    /// <summary>A form that POSTs <paramref name="fields"/> to <paramref name="action"/> with one button.</summary>
    public static string Button(string action, string id, string label, params (string Name, string Value)[] fields) =>
        $"<form method=\"post\" action=\"{Encode(action)}\">" +
        string.Concat(fields.Select(field => $"<input type=\"hidden\" name=\"{Encode(field.Name)}\" value=\"{Encode(field.Value)}\">")) +
        $"<button id=\"{Encode(id)}\" type=\"submit\">{Encode(label)}</button></form>";

    /// <summary>e.g. "Team, 29.00 USD per month".</summary>
    public static string Plan(EmulatedPrice price)
    {
        var amount = (price.UnitAmount / 100m).ToString("0.00", CultureInfo.InvariantCulture);
        var per = price.Interval is { } interval ? $" per {interval}" : string.Empty;
        return $"{price.ProductName}, {amount} {price.Currency.ToUpperInvariant()}{per}";
    }

    /// <summary>303 See Other: after a form POST, the browser GETs <paramref name="url"/>.</summary>
    public static IResult SeeOther(string url) => new SeeOtherResult(url);

    private sealed class SeeOtherResult(string url) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = url;
            return Task.CompletedTask;
        }
    }
}
