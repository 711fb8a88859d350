using System.Net;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// Under the Stripe SDK's HTTP client: every request to Stripe, each of the SDK's retries included, takes its turn
/// from the shared <see cref="StripeBudget"/> first, and a 429 slows every instance down.
/// </summary>
internal sealed class StripeBudgetHandler(StripeBudget budget) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await budget.TakeAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            await budget.ReportThrottledAsync();
        }

        return response;
    }
}
