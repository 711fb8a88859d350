namespace Billing.Application.PortalSessions;

/// <summary>Creates Stripe Billing Portal sessions.</summary>
public interface IStripePortalGateway
{
    /// <exception cref="Common.Exceptions.UnknownStripeCustomerException">Stripe does not know the customer.</exception>
    /// <exception cref="Common.Exceptions.PaymentProviderException">Any other failure, including timeouts.</exception>
    Task<CreatedPortalSession> CreateSessionAsync(PortalSessionParameters parameters, CancellationToken cancellationToken);
}
