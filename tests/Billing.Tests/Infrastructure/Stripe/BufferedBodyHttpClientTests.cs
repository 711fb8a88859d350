using System.IO.Pipelines;
using System.Text;
using Billing.Infrastructure.Stripe;

namespace Billing.Tests.Infrastructure.Stripe;

public sealed class BufferedBodyHttpClientTests
{
    private const string Json = """{"id":"bps_1","url":"https://billing.stripe.com/p/session/test_1","locale":"de","name":"Müller & Søn – 東京"}""";

    [Test]
    public async Task ReadAsync_BufferedBody_DecodesItAsUtf8()
    {
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(Json), writable: false);

        var content = await BufferedBodyHttpClient.ReadAsync(body, CancellationToken.None);

        Assert.That(content, Is.EqualTo(Json));
    }

    [Test]
    public async Task ReadAsync_BodyWithAByteOrderMark_DropsIt()
    {
        using var body = new MemoryStream([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Json)]);

        var content = await BufferedBodyHttpClient.ReadAsync(body, CancellationToken.None);

        Assert.That(content, Is.EqualTo(Json));
    }

    [Test]
    public async Task ReadAsync_PartlyReadBody_DecodesTheRest()
    {
        using var body = new MemoryStream(Encoding.UTF8.GetBytes("xx" + Json)) { Position = 2 };

        var content = await BufferedBodyHttpClient.ReadAsync(body, CancellationToken.None);

        Assert.That(content, Is.EqualTo(Json));
    }

    [Test]
    public async Task ReadAsync_UnbufferedBody_DecodesItWhole()
    {
        var json = string.Concat(Enumerable.Repeat(Json, 200));
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(json));
        await pipe.Writer.CompleteAsync();
        // A pipe's stream can only be read forward, like a body streamed from the network.
        await using var body = pipe.Reader.AsStream();

        var content = await BufferedBodyHttpClient.ReadAsync(body, CancellationToken.None);

        Assert.That(content, Is.EqualTo(json));
    }
}
