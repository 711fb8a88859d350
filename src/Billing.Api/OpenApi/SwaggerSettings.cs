namespace Billing.Api.OpenApi;

/// <summary>Swagger UI switch (section <c>Swagger</c>).</summary>
public sealed class SwaggerSettings
{
    public const string SectionName = "Swagger";

    /// <summary>Serve <c>/swagger</c>; unset means on in Development only.</summary>
    public bool? Enabled { get; set; }
}
