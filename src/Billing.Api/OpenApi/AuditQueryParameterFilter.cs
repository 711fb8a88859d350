using System.Globalization;
using Billing.Api.Controllers;
using Billing.Application.PortalAudit;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Billing.Api.OpenApi;

/// <summary>The page sizes <see cref="PortalAuditQueryValidator"/> accepts, as the <c>limit</c> parameter's bounds.</summary>
internal sealed class AuditQueryParameterFilter : IParameterFilter
{
    public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
    {
        if (context.ParameterInfo is not { Name: "limit", Member.Name: nameof(SubscriptionsController.GetPortalAudit) }
            || parameter.Schema is not OpenApiSchema limit)
        {
            return;
        }

        limit.Minimum = "1";
        limit.Maximum = PortalAuditQuery.MaxLimit.ToString(CultureInfo.InvariantCulture);
    }
}
