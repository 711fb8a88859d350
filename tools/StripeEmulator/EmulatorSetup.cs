using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StripeEmulator.Api;
using StripeEmulator.Pages;
using StripeEmulator.State;
using StripeEmulator.Webhooks;

namespace StripeEmulator;

/// <summary>
/// Puts the emulator into a host: <c>Program.cs</c> uses it, and so can a test that builds its own loopback
/// <see cref="WebApplication"/>, with middleware of its own (recording, fault injection) in front of these endpoints.
/// </summary>
public static class EmulatorSetup
{
    /// <summary>
    /// Registers the options (section <c>Emulator</c>, validated at start-up), the <see cref="EmulatorStore"/>, and the
    /// webhook sender. A <see cref="TimeProvider"/> registered before this call is kept, so that a test sets the time.
    /// </summary>
    public static IServiceCollection AddStripeEmulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<EmulatorOptions>, EmulatorOptionsValidator>();
        services.AddOptions<EmulatorOptions>().Bind(configuration.GetSection(EmulatorOptions.SectionName)).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EmulatorStore>();
        services.AddSingleton<WebhookEvents>();
        services.AddHostedService<WebhookSender>();
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        return services;
    }

    /// <summary>Maps Stripe's /v1 API (test-mode keys only), the Checkout page (/c/pay/…) and the portal page (/p/session/…).</summary>
    public static IEndpointRouteBuilder MapStripeEmulator(this IEndpointRouteBuilder endpoints)
    {
        var emulator = endpoints.MapGroup(string.Empty).AddEndpointFilter(RequestIds.StampAsync);
        StripeApi.Map(emulator.MapGroup("/v1").AddEndpointFilter(ApiKeys.RequireTestKeyAsync));
        CheckoutPage.Map(emulator);
        PortalPage.Map(emulator);
        return endpoints;
    }
}
