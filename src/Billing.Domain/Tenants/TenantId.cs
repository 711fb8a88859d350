using System.Diagnostics.CodeAnalysis;

namespace Billing.Domain.Tenants;

/// <summary>The identity of a tenant: a non-nil UUID.</summary>
public readonly record struct TenantId
{
    private const int CanonicalLength = 36;

    public TenantId(Guid value)
    {
        if (value == Guid.Empty)
        {
            throw new ArgumentException("A tenant id cannot be the nil UUID.", nameof(value));
        }

        Value = value;
    }

    public Guid Value { get; }

    /// <summary>
    /// Parses the canonical 8-4-4-4-12 form only, so that one tenant has exactly one spelling
    /// (no braces, no parentheses, no hyphen-less form) wherever it is compared or logged.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out TenantId tenantId)
    {
        // Guid parsing forgives surrounding white space; a tenant claim must not.
        if (text is { Length: CanonicalLength } && Guid.TryParseExact(text, "D", out var value) && value != Guid.Empty)
        {
            tenantId = new TenantId(value);
            return true;
        }

        tenantId = default;
        return false;
    }

    public override string ToString() => Value.ToString("D");
}
