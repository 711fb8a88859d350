using Billing.Domain.Tenants;

namespace Billing.Tests.Domain.Tenants;

public sealed class TenantIdTests
{
    [Test]
    public void TryParse_CanonicalUuid_ReturnsTheTenant()
    {
        var parsed = TenantId.TryParse("0b6f1c8e-5a43-4c55-9d0e-6a2f3c1b7d10", out var tenantId);

        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.True);
            Assert.That(tenantId.Value, Is.EqualTo(Guid.Parse("0b6f1c8e-5a43-4c55-9d0e-6a2f3c1b7d10")));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("acme")]
    [TestCase("' OR 1=1 --")]
    [TestCase("00000000-0000-0000-0000-000000000000")]
    [TestCase("{0b6f1c8e-5a43-4c55-9d0e-6a2f3c1b7d10}")]
    [TestCase("0b6f1c8e5a434c559d0e6a2f3c1b7d10")]
    [TestCase(" 0b6f1c8e-5a43-4c55-9d0e-6a2f3c1b7d10")]
    public void TryParse_NotACanonicalNonNilUuid_Fails(string? text)
    {
        Assert.That(TenantId.TryParse(text, out _), Is.False);
    }

    [Test]
    public void Constructor_NilUuid_ThrowsSayingWhy()
    {
        var exception = Assert.Throws<ArgumentException>(() => _ = new TenantId(Guid.Empty));

        Assert.That(exception.Message, Does.StartWith("A tenant id cannot be the nil UUID."));
    }

    [Test]
    public void ToString_Always_IsTheCanonicalLowerCaseHyphenatedForm()
    {
        var tenantId = new TenantId(Guid.Parse("{0B6F1C8E-5A43-4C55-9D0E-6A2F3C1B7D10}"));

        Assert.That(tenantId.ToString(), Is.EqualTo("0b6f1c8e-5a43-4c55-9d0e-6a2f3c1b7d10"));
    }
}
