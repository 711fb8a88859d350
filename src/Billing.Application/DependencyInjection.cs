using Billing.Application.PortalSessions;

namespace Microsoft.Extensions.DependencyInjection;

public static class DependencyInjection
{
    public static IServiceCollection AddApplicationServices(this IServiceCollection services)
    {
        services.AddOptions<AppOptions>()
            .BindConfiguration(AppOptions.SectionName)
            .Validate(options => IsAbsoluteHttpUrl(options.PublicUrl),
                "App:PublicUrl must be the SPA's absolute http(s) URL, e.g. https://app.example.com.")
            .ValidateOnStart();

        services.AddOptions<PortalOptions>()
            .BindConfiguration(PortalOptions.SectionName)
            .Validate(options => IsLocalPath(options.ReturnPath),
                "Portal:ReturnPath must be a path that starts with a single '/', e.g. /settings/billing.")
            .ValidateOnStart();

        services.AddScoped<PortalSessionService>();
        return services;
    }

    private static bool IsAbsoluteHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);

    // "//host" and "/\host" would make the return URL point at another host; browsers read any '\' as '/'.
    private static bool IsLocalPath(string? value) =>
        value is ['/', ..] && !value.StartsWith("//", StringComparison.Ordinal) && !value.Contains('\\', StringComparison.Ordinal)
        && !value.Any(char.IsControl);
}
