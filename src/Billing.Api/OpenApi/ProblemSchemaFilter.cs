using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Billing.Api.OpenApi;

/// <summary>
/// Declares the members every problem body carries besides RFC 9457's (see <c>ProblemDetailsSetup</c>):
/// <c>error</c>, the contract's text that SPAs compare, and <c>traceId</c>.
/// </summary>
internal sealed class ProblemSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema problem || !typeof(ProblemDetails).IsAssignableFrom(context.Type))
        {
            return;
        }

        problem.Properties ??= new Dictionary<string, IOpenApiSchema>();
        problem.Properties["error"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The contract's error text, such as \"Validation failed\" or \"Unauthorized\"; it never changes for a given error.",
        };
        problem.Properties["traceId"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "Identifies the request in the service's logs and traces.",
        };
        problem.Required ??= new HashSet<string>();
        problem.Required.Add("error");
    }
}
