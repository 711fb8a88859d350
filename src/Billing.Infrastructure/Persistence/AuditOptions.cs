namespace Billing.Infrastructure.Persistence;

/// <summary>How long the audit trail is kept: section <c>Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>
    /// Rows of <c>billing_portal_audit</c> older than this many days are deleted by the hourly retention job. The
    /// default keeps a year and a month, so that a year-end review still finds the whole year.
    /// </summary>
    public int RetentionDays { get; set; } = 400;
}
