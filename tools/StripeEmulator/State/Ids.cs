using System.Buffers.Text;
using System.Security.Cryptography;

namespace StripeEmulator.State;

/// <summary>New object ids in Stripe's style (<c>cus_…</c>, <c>sub_…</c>) and unguessable portal tokens.</summary>
internal static class Ids
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string New(string prefix) => prefix + RandomNumberGenerator.GetString(Alphabet, 24);

    /// <summary>A portal session's token: 24 random bytes, URL-safe, shaped like Stripe's <c>test_…</c>.</summary>
    public static string PortalToken() => "test_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
}
