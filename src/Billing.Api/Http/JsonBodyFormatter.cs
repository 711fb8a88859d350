using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.Extensions.Options;

namespace Billing.Api.Http;

/// <summary>
/// MVC's JSON input formatter, except that a body the server refuses to read (Kestrel's 413 for a body over the
/// action's size limit, a client hanging up mid-body) becomes a model error like malformed JSON instead of an
/// exception. It is then answered by the invalid-model-state factory with its own status, and the audit filter
/// sees it like any other refused body.
/// </summary>
internal sealed class JsonBodyFormatter(JsonOptions options, ILogger<SystemTextJsonInputFormatter> logger)
    : SystemTextJsonInputFormatter(options, logger), IInputFormatterExceptionPolicy
{
    public InputFormatterExceptionPolicy ExceptionPolicy => InputFormatterExceptionPolicy.AllExceptions;
}

internal static class JsonBodyFormatterSetup
{
    public static IServiceCollection AddRefusedBodiesAsModelErrors(this IServiceCollection services)
    {
        services.AddOptions<MvcOptions>().Configure<IOptions<JsonOptions>, ILogger<SystemTextJsonInputFormatter>>((mvc, json, logger) =>
        {
            var index = mvc.InputFormatters.IndexOf(mvc.InputFormatters.OfType<SystemTextJsonInputFormatter>().Single());
            mvc.InputFormatters[index] = new JsonBodyFormatter(json.Value, logger);
        });
        return services;
    }
}
