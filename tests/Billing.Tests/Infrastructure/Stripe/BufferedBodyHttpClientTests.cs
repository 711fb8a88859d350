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
        var body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(Json, 200)));
        await using var stream = new ForwardOnlyStream(body);

        var content = await BufferedBodyHttpClient.ReadAsync(stream, CancellationToken.None);

        Assert.That(content, Is.EqualTo(string.Concat(Enumerable.Repeat(Json, 200))));
    }

    /// <summary>A body that can only be read forward, a few bytes at a time, like one streamed from the network.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : Stream
    {
        private int position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = Math.Min(Math.Min(count, 7), content.Length - position);
            content.AsSpan(position, read).CopyTo(buffer.AsSpan(offset));
            position += read;
            return read;
        }

        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
