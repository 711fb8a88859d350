namespace Billing.Application.Common.Exceptions;

/// <summary>The caller is authenticated, but their token names no tenant, or one that is not a UUID.</summary>
public sealed class TenantContextMissingException()
    : Exception("The caller's token carries no valid tenant claim.");
