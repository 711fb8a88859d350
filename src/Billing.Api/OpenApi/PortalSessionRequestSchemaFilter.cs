using System.Text.Json.Nodes;
using Billing.Application.PortalSessions;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Billing.Api.OpenApi;

/// <summary>The values <see cref="PortalSessionRequestValidator"/> accepts, as the document's enums and length.</summary>
internal sealed class PortalSessionRequestSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (context.Type != typeof(PortalSessionRequest) || schema.Properties is not { } properties)
        {
            return;
        }

        ((OpenApiSchema)properties["returnUrl"]).MaxLength = ReturnUrlPolicy.MaxLength;
        ((OpenApiSchema)properties["flow"]).Enum = [.. PortalFlows.WireNames.Select(name => (JsonNode)name)];
        ((OpenApiSchema)properties["locale"]).Enum = [.. PortalLocales.All.Order(StringComparer.Ordinal).Select(name => (JsonNode)name)];
    }
}
