using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.Extensions.Options;

namespace Billing.Api.Http;

/// <summary>
/// JSON responses serialized first and sent with their Content-Length. MVC's own JSON formatter streams the body
/// chunked, so every answer took two sends to the client: the headers with the body, and then the final empty chunk.
/// The bodies here are small (a URL, a problem, an audit page of at most 100 rows). Same media types and serializer
/// options as MVC's formatter; UTF-8 only.
/// </summary>
internal sealed class JsonResponseFormatter : TextOutputFormatter
{
    private readonly JsonSerializerOptions serializerOptions;

    public JsonResponseFormatter(JsonSerializerOptions serializerOptions)
    {
        this.serializerOptions = serializerOptions;
        SupportedEncodings.Add(Encoding.UTF8);
        SupportedMediaTypes.Add("application/json");
        SupportedMediaTypes.Add("text/json");
        SupportedMediaTypes.Add("application/*+json");
    }

    public override async Task WriteResponseBodyAsync(OutputFormatterWriteContext context, Encoding selectedEncoding)
    {
        // The runtime type, as MVC's formatter uses for a declared type that is not polymorphic: a
        // ValidationProblemDetails returned as ProblemDetails keeps its errors.
        var body = JsonSerializer.SerializeToUtf8Bytes(context.Object, context.Object?.GetType() ?? context.ObjectType ?? typeof(object), serializerOptions);
        var response = context.HttpContext.Response;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.HttpContext.RequestAborted);
    }
}

internal static class JsonResponseFormatterSetup
{
    public static IServiceCollection AddJsonResponsesWithContentLength(this IServiceCollection services)
    {
        services.AddOptions<MvcOptions>().Configure<IOptions<JsonOptions>>((mvc, json) =>
        {
            var index = mvc.OutputFormatters.IndexOf(mvc.OutputFormatters.OfType<SystemTextJsonOutputFormatter>().Single());
            mvc.OutputFormatters[index] = new JsonResponseFormatter(json.Value.JsonSerializerOptions);
        });
        return services;
    }
}
