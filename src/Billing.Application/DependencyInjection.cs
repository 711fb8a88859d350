using Billing.Application.Checkout;
using Billing.Application.Common.Configuration;
using Billing.Application.Common.Metrics;
using Billing.Application.PortalAudit;
using Billing.Application.PortalSessions;
using Billing.Application.StripeEvents;
using Billing.Application.Subscriptions;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class DependencyInjection
{
    public static IServiceCollection AddApplicationServices(this IServiceCollection services)
    {
        services.AddValidatedOptions<AppOptions, AppOptionsValidator>(AppOptions.SectionName);
        services.AddValidatedOptions<PortalOptions, PortalOptionsValidator>(PortalOptions.SectionName);
        services.AddValidatedOptions<BillingOptions, BillingOptionsValidator>(BillingOptions.SectionName);

        services.AddSingleton<BillingMetrics>();
        services.AddSingleton<ReturnUrlPolicy>();
        services.AddValidatorsFromAssemblyContaining<PortalSessionRequestValidator>(ServiceLifetime.Singleton);
        services.AddScoped<PortalAuditTrail>();
        services.AddScoped<PortalSessionService>();
        services.AddSingleton<PlanCatalog>();
        services.AddScoped<CheckoutSessionService>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SubscriptionSync>();
        services.AddScoped<CurrentSubscriptionService>();
        services.AddSingleton<StripeEventArrivals>();
        services.AddSingleton<StripeWebhookReceiver>();
        services.AddSingleton<StripeEventProcessor>();
        return services;
    }
}
