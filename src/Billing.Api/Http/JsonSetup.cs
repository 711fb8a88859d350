using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.Extensions.Options;

namespace Billing.Api.Http;

internal static class JsonSetup
{
    /// <summary>Request bodies are read exactly as the contract spells them; responses are MVC's own JSON.</summary>
    public static IServiceCollection AddJsonContract(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(options =>
        {
            // A client must never believe it chose the customer or the tenant: unknown members are an error.
            options.JsonSerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // Member names match as documented: "Locale" is an unknown member, not "locale" (MVC matches any case).
            options.JsonSerializerOptions.PropertyNameCaseInsensitive = false;
            // Parser messages name our types; callers get the JSON path and a generic message instead.
            options.AllowInputFormatterExceptionMessages = false;
            options.JsonSerializerOptions.Converters.Add(new UtcTimestampConverter());
        });
        services.AddOptions<MvcOptions>().Configure<IOptions<JsonOptions>, ILoggerFactory>((mvc, json, loggers) =>
        {
            var index = mvc.InputFormatters.IndexOf(mvc.InputFormatters.OfType<SystemTextJsonInputFormatter>().Single());
            mvc.InputFormatters[index] = new JsonBodyFormatter(json.Value, loggers.CreateLogger<SystemTextJsonInputFormatter>());
        });
        return services;
    }
}
