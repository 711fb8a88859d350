using Billing.Application.PortalAudit;

namespace Billing.Tests.Application.PortalAudit;

public sealed class PortalAuditCursorTests
{
    [Test]
    public void TryDecode_WhatEncodeProduced_GivesTheSamePosition()
    {
        var cursor = new PortalAuditCursor(new DateTimeOffset(2026, 11, 23, 20, 15, 1, TimeSpan.Zero).AddTicks(1230), 42);

        var decoded = PortalAuditCursor.TryDecode(cursor.Encode(), out var roundTripped);

        Assert.Multiple(() =>
        {
            Assert.That(decoded, Is.True);
            Assert.That(roundTripped, Is.EqualTo(cursor));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not base64!")]
    [TestCase("MTIz")]
    [TestCase("LTEuMQ")]
    [TestCase("OTk5OTk5OTk5OTk5OTk5OTk5OTkuMQ")]
    public void TryDecode_AnythingElse_Fails(string? text)
    {
        Assert.That(PortalAuditCursor.TryDecode(text, out _), Is.False);
    }

    [TestCase(0)]
    [TestCase(101)]
    public void QueryValidator_LimitOutOfRange_Fails(int limit)
    {
        var result = new PortalAuditQueryValidator().Validate(new PortalAuditQuery(limit));

        Assert.That(result.Errors.Select(error => error.PropertyName), Is.EqualTo(new[] { "limit" }));
    }

    [Test]
    public void QueryValidator_ForgedCursor_Fails()
    {
        var result = new PortalAuditQueryValidator().Validate(new PortalAuditQuery(Before: "garbage"));

        Assert.That(result.Errors.Select(error => error.PropertyName), Is.EqualTo(new[] { "before" }));
    }

    [Test]
    public void QueryValidator_Defaults_AreValid()
    {
        Assert.That(new PortalAuditQueryValidator().Validate(new PortalAuditQuery()).IsValid, Is.True);
    }
}
