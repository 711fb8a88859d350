using FluentValidation;

namespace Billing.Application.PortalAudit;

/// <summary>Refuses a page size out of range and a cursor this endpoint did not hand out.</summary>
public sealed class PortalAuditQueryValidator : AbstractValidator<PortalAuditQuery>
{
    public PortalAuditQueryValidator()
    {
        RuleFor(query => query.Limit)
            .InclusiveBetween(1, PortalAuditQuery.MaxLimit)
            .OverridePropertyName("limit")
            .WithMessage($"limit must be between 1 and {PortalAuditQuery.MaxLimit}.");

        RuleFor(query => query.Before)
            .Must(before => before is null || PortalAuditCursor.TryDecode(before, out _))
            .OverridePropertyName("before")
            .WithMessage("before must be a nextCursor value returned by this endpoint.");
    }
}
