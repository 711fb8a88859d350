using System.Globalization;
using System.Text.Json.Nodes;
using Billing.Application.Checkout;
using Billing.Application.PortalSessions;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Billing.Api.OpenApi;

/// <summary>The values <see cref="CheckoutRequestValidator"/> accepts, as the document's enums, range and lengths.</summary>
internal sealed class CheckoutRequestSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (context.Type != typeof(CheckoutRequest) || schema.Properties is not { } properties)
        {
            return;
        }

        var checkout = (OpenApiSchema)schema;
        checkout.Required ??= new HashSet<string>();
        checkout.Required.Add("priceId");
        var quantity = (OpenApiSchema)properties["quantity"];
        quantity.Minimum = "1";
        quantity.Maximum = CheckoutRequest.MaxQuantity.ToString(CultureInfo.InvariantCulture);
        ((OpenApiSchema)properties["successUrl"]).MaxLength = ReturnUrlPolicy.MaxLength;
        ((OpenApiSchema)properties["cancelUrl"]).MaxLength = ReturnUrlPolicy.MaxLength;
        ((OpenApiSchema)properties["locale"]).Enum = [.. CheckoutLocales.All.Order(StringComparer.Ordinal).Select(name => (JsonNode)name)];
    }
}
