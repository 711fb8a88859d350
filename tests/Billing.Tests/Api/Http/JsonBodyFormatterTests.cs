using System.Text;
using System.Text.Json.Serialization;
using Billing.Api.Http;
using Billing.Application.PortalSessions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Billing.Tests.Api.Http;

public sealed class JsonBodyFormatterTests
{
    private static readonly JsonOptions AppJsonOptions = new()
    {
        JsonSerializerOptions = { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow },
        AllowInputFormatterExceptionMessages = false,
    };

    [Test]
    public async Task ReadAsync_ValidBody_ReturnsTheRequest()
    {
        var (result, _) = await ReadAsync("""{"flow":"payment_method_update","locale":"fr"}""");

        Assert.That(result.Model, Is.EqualTo(new PortalSessionRequest(Flow: "payment_method_update", Locale: "fr")));
    }

    [Test]
    public async Task ReadAsync_BodyArrivingAByteAtATimeOverSeveralBuffers_ReadsItWhole()
    {
        var json = "{" + new string(' ', 9_000) + "\"locale\":\"pt-BR\"}";

        var (result, _) = await ReadAsync(json, body => new TrickleStream(body));

        Assert.That(result.Model, Is.EqualTo(new PortalSessionRequest(Locale: "pt-BR")));
    }

    [Test]
    public async Task ReadAsync_Utf16Body_ReadsIt()
    {
        var (result, _) = await ReadAsync("""{"locale":"de"}""", contentType: "application/json; charset=utf-16", encoding: Encoding.Unicode);

        Assert.That(result.Model, Is.EqualTo(new PortalSessionRequest(Locale: "de")));
    }

    [Test]
    public async Task ReadAsync_JsonNull_ReturnsNoValue()
    {
        var (result, _) = await ReadAsync("null");

        Assert.Multiple(() =>
        {
            Assert.That(result.HasError, Is.False);
            Assert.That(result.IsModelSet, Is.False);
        });
    }

    [Test]
    public async Task ReadAsync_WrongTypeForAMember_AddsAModelErrorAtItsJsonPathWithoutTheParserMessage()
    {
        var (result, modelState) = await ReadAsync("""{"flow":5}""");

        var error = modelState["$.flow"]?.Errors.Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.HasError, Is.True);
            Assert.That(error?.Exception, Is.Not.InstanceOf<InputFormatterException>());
            Assert.That(error?.ErrorMessage, Is.Empty);
        });
    }

    [Test]
    public async Task ReadAsync_UnknownMember_IsRefused()
    {
        var (result, modelState) = await ReadAsync("""{"customer":"cus_other"}""");

        Assert.Multiple(() =>
        {
            Assert.That(result.HasError, Is.True);
            Assert.That(modelState.IsValid, Is.False);
        });
    }

    [Test]
    public async Task ReadAsync_MoreInputAfterTheValue_IsRefused()
    {
        var (result, _) = await ReadAsync("""{} {"locale":"fr"}""");

        Assert.That(result.HasError, Is.True);
    }

    private static async Task<(InputFormatterResult Result, ModelStateDictionary ModelState)> ReadAsync(
        string json, Func<Stream, Stream>? wrap = null, string contentType = "application/json", Encoding? encoding = null)
    {
        var bytes = (encoding ?? Encoding.UTF8).GetBytes(json);
        var httpContext = new DefaultHttpContext();
        httpContext.Request.ContentType = contentType;
        httpContext.Request.ContentLength = bytes.Length;
        httpContext.Request.Body = wrap?.Invoke(new MemoryStream(bytes)) ?? new MemoryStream(bytes);
        var modelState = new ModelStateDictionary();
        var context = new InputFormatterContext(
            httpContext,
            modelName: string.Empty,
            modelState,
            new EmptyModelMetadataProvider().GetMetadataForType(typeof(PortalSessionRequest)),
            (stream, streamEncoding) => new StreamReader(stream, streamEncoding));

        var result = await new JsonBodyFormatter(AppJsonOptions).ReadAsync(context);
        return (result, modelState);
    }

    /// <summary>Hands the body out one byte per read, as a slow client's packets would arrive.</summary>
    private sealed class TrickleStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer[..Math.Min(buffer.Length, 1)], cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
