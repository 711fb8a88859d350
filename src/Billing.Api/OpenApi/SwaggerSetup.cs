using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Billing.Api.OpenApi;

internal static class SwaggerSetup
{
    private const string DocumentName = "v1";

    public static IServiceCollection AddSwagger(this IServiceCollection services)
    {
        services.AddOptions<SwaggerSettings>().BindConfiguration(SwaggerSettings.SectionName);
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "Billing API",
                Version = DocumentName,
                Description = "Billing for the signed-in user's tenant: Stripe Billing Portal sessions, the current subscription, and Stripe's webhook.",
            });
            options.AddSecurityDefinition(JwtBearerDefaults.AuthenticationScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT from your identity provider; its tenant claim decides whose billing opens.",
            });
            options.OperationFilter<BearerSecurityOperationFilter>();
            options.SchemaFilter<ProblemSchemaFilter>();
            options.SchemaFilter<PortalSessionRequestSchemaFilter>();
            options.SchemaFilter<CheckoutRequestSchemaFilter>();
            options.ParameterFilter<AuditQueryParameterFilter>();
            options.IncludeXmlComments(typeof(Program).Assembly);
            options.IncludeXmlComments(typeof(Application.PortalSessions.PortalSession).Assembly);
        });
        return services;
    }

    public static WebApplication UseSwaggerWhenEnabled(this WebApplication app)
    {
        var enabled = app.Services.GetRequiredService<IOptions<SwaggerSettings>>().Value.Enabled ?? app.Environment.IsDevelopment();
        if (enabled)
        {
            app.UseSwagger();
            app.UseSwaggerUI(options => options.SwaggerEndpoint($"/swagger/{DocumentName}/swagger.json", "Billing API"));
        }

        return app;
    }
}
