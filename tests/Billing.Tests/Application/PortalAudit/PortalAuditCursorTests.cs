using System.Buffers.Text;
using System.Text;
using Billing.Application.PortalAudit;

namespace Billing.Tests.Application.PortalAudit;

public sealed class PortalAuditCursorTests
{
    private static IEnumerable<TestCaseData> Positions()
    {
        yield return new TestCaseData(new PortalAuditCursor(new DateTimeOffset(2026, 11, 23, 20, 15, 1, TimeSpan.Zero).AddTicks(1230), 42))
            .SetArgDisplayNames("AnOrdinaryRow");
        yield return new TestCaseData(new PortalAuditCursor(DateTimeOffset.MaxValue, long.MaxValue)).SetArgDisplayNames("TheLatestInstantThereIs");
    }

    [TestCaseSource(nameof(Positions))]
    public void TryDecode_WhatEncodeProduced_GivesTheSamePosition(PortalAuditCursor cursor)
    {
        var decoded = PortalAuditCursor.TryDecode(cursor.Encode(), out var roundTripped);

        Assert.Multiple(() =>
        {
            Assert.That(decoded, Is.True);
            Assert.That(roundTripped, Is.EqualTo(cursor));
        });
    }

    [Test]
    public void TryDecode_64CharactersThatSpellAPosition_IsRead()
    {
        // 48 ASCII bytes are exactly 64 base64url characters; leading zeros pad the ticks to that length.
        var text = Base64Url.EncodeToString(Encoding.ASCII.GetBytes("1".PadLeft(46, '0') + ".7"));

        Assert.Multiple(() =>
        {
            Assert.That(text, Has.Length.EqualTo(64));
            Assert.That(PortalAuditCursor.TryDecode(text, out var decoded) ? decoded : default,
                Is.EqualTo(new PortalAuditCursor(new DateTimeOffset(1, TimeSpan.Zero), 7)));
        });
    }

    [Test]
    public void TryDecode_LongerThan64CharactersEvenIfTheySpellAPosition_Fails()
    {
        var text = Base64Url.EncodeToString(Encoding.ASCII.GetBytes("1".PadLeft(49, '0') + ".7"));

        Assert.That(PortalAuditCursor.TryDecode(text, out _), Is.False);
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
