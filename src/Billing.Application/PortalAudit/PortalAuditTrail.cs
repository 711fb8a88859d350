using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Interfaces;
using Billing.Application.Common.Logging;
using Billing.Application.Common.Metrics;
using Billing.Domain.Tenants;
using FluentValidation;
using Microsoft.Extensions.Logging;

namespace Billing.Application.PortalAudit;

/// <summary>Writes and reads the portal access trail of the caller's tenant.</summary>
public sealed partial class PortalAuditTrail(
    ICurrentTenant currentTenant,
    IAuditContext auditContext,
    IPortalAuditRepository repository,
    IValidator<PortalAuditQuery> queryValidator,
    BillingMetrics metrics,
    ILogger<PortalAuditTrail> logger)
{
    private const int MaxUserAgentLength = 256;
    private const int MaxReturnUrlLength = 2048;

    /// <summary>How the current request ended, once its audit row is written; null before that.</summary>
    public PortalAuditOutcome? RecordedOutcome { get; private set; }

    /// <summary>
    /// Records how the caller's request ended. Requests without a valid tenant leave no row: they belong to nobody
    /// whose trail could show them.
    /// </summary>
    public async Task RecordAsync(PortalAuditOutcome outcome, PortalAuditDetails details, CancellationToken cancellationToken)
    {
        if (currentTenant.TenantId is not { } tenantId)
        {
            return;
        }

        var entry = new PortalAuditEntry(
            tenantId,
            outcome,
            details with
            {
                ReturnUrl = Storable(details.ReturnUrl, MaxReturnUrlLength),
                Flow = Storable(details.Flow),
                Locale = Storable(details.Locale),
                PriceId = Storable(details.PriceId),
            },
            Storable(auditContext.UserId),
            auditContext.ClientIp,
            Storable(auditContext.UserAgent, MaxUserAgentLength),
            auditContext.TraceId);
        await repository.AddAsync(entry, cancellationToken);
        RecordedOutcome = outcome;
        metrics.PortalRequestEnded(outcome, details.Action);
        var outcomeName = outcome.ToWireName();
        LogRecorded(logger, outcomeName);
    }

    /// <summary>
    /// Runs a Stripe call made for the caller's tenant and, when it fails, records how: <c>no_customer</c> for a customer
    /// Stripe does not know (with the stale-link warning on <paramref name="logger"/>), <c>stripe_busy</c> when Stripe's
    /// budget is spent, <c>stripe_error</c> otherwise.
    /// Once Stripe was asked, the row is written even if the caller has hung up meanwhile.
    /// </summary>
    /// <exception cref="StripeCustomerNotFoundException">Stripe does not know the tenant's customer.</exception>
    /// <exception cref="StripeBusyException">Stripe's budget is spent for now.</exception>
    /// <exception cref="PaymentProviderException">Stripe failed or could not be reached.</exception>
    public async Task<T> RecordStripeFailuresAsync<T>(
        TenantId tenantId, PortalAuditDetails details, ILogger logger, Func<Task<T>> stripeCall)
    {
        try
        {
            return await stripeCall();
        }
        catch (UnknownStripeCustomerException exception)
        {
            logger.StaleStripeCustomer(tenantId, exception.StripeCustomerId, exception.StripeRequestId);
            await RecordAsync(PortalAuditOutcome.NoCustomer, details with { StripeRequestId = exception.StripeRequestId }, CancellationToken.None);
            throw new StripeCustomerNotFoundException(tenantId, exception);
        }
        catch (StripeBusyException exception)
        {
            await RecordAsync(PortalAuditOutcome.StripeBusy, details with { StripeRequestId = exception.StripeRequestId }, CancellationToken.None);
            throw;
        }
        catch (PaymentProviderException exception)
        {
            await RecordAsync(PortalAuditOutcome.StripeError, details with { StripeRequestId = exception.StripeRequestId }, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// <see cref="RecordStripeFailuresAsync"/> for a call that opens a session in Stripe (portal or Checkout): a caller
    /// who hangs up meanwhile is recorded as <c>abandoned</c>, since Stripe may have made a session nobody received.
    /// </summary>
    /// <exception cref="StripeCustomerNotFoundException">Stripe does not know the tenant's customer.</exception>
    /// <exception cref="PaymentProviderException">Stripe failed or could not be reached.</exception>
    /// <exception cref="OperationCanceledException">The caller hung up, after the row is written.</exception>
    public async Task<T> RecordStripeSessionAsync<T>(
        TenantId tenantId, PortalAuditDetails details, ILogger logger, Func<Task<T>> stripeCall, CancellationToken cancellationToken)
    {
        try
        {
            return await RecordStripeFailuresAsync(tenantId, details, logger, stripeCall);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await RecordAsync(PortalAuditOutcome.Abandoned, details, CancellationToken.None);
            throw;
        }
    }

    /// <exception cref="ValidationException">The page size is out of range, or the cursor is not one of ours.</exception>
    /// <exception cref="TenantContextMissingException">The caller's token names no valid tenant.</exception>
    public async Task<PortalAuditPage> ReadAsync(PortalAuditQuery query, CancellationToken cancellationToken)
    {
        queryValidator.ValidateAndThrow(query);
        var tenantId = currentTenant.TenantId ?? throw new TenantContextMissingException();
        PortalAuditCursor? before = PortalAuditCursor.TryDecode(query.Before, out var cursor) ? cursor : null;

        // One row more than asked tells whether an older page exists without a count query.
        var rows = await repository.ListAsync(tenantId, query.Limit + 1, before, cancellationToken);
        var page = rows.Take(query.Limit).ToArray();
        var next = rows.Count > query.Limit ? new PortalAuditCursor(page[^1].OccurredAt, page[^1].Id).Encode() : null;
        return new PortalAuditPage(page, next);
    }

    /// <summary>
    /// What the caller sent, as PostgreSQL can store it: a refused request is audited with what it asked for, and
    /// text columns cannot hold U+0000, so it is kept as U+FFFD instead of failing the audit write.
    /// </summary>
    private static string? Storable(string? value, int maxLength = int.MaxValue) =>
        value is null ? null : (value.Length > maxLength ? value[..maxLength] : value).Replace('\0', '\uFFFD');

    [LoggerMessage(Level = LogLevel.Information, Message = "Portal request ended: {Outcome}")]
    private static partial void LogRecorded(ILogger logger, string outcome);
}
