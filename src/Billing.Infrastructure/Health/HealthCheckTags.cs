namespace Billing.Infrastructure.Health;

/// <summary>Tags that sort health checks into the probes the Api maps.</summary>
public static class HealthCheckTags
{
    /// <summary>Checks that must pass before the instance takes traffic (<c>/health/ready</c>).</summary>
    public const string Ready = "ready";
}
