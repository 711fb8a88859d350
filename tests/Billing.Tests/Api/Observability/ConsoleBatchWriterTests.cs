using System.Text;
using Billing.Api.Observability;

namespace Billing.Tests.Api.Observability;

public sealed class ConsoleBatchWriterTests
{
    // Long enough that the lines added during one pause surely share the next write.
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(300);

    [Test]
    public void TryAdd_LinesLoggedWhileTheWriterPauses_GoOutTogetherInOneWrite()
    {
        var output = new RecordingWriter();
        using (var writer = new ConsoleBatchWriter(output, new RecordingWriter(), Pause))
        {
            writer.TryAdd(Line("first"), toError: false, maxQueuedLines: 100, dropWhenFull: false);
            output.WaitForText("first\n");
            for (var n = 0; n < 50; n++)
            {
                writer.TryAdd(Line($"line {n}"), toError: false, maxQueuedLines: 100, dropWhenFull: false);
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(output.Text, Is.EqualTo("first\n" + string.Concat(Enumerable.Range(0, 50).Select(n => $"line {n}\n"))));
            Assert.That(output.Flushes, Is.EqualTo(2));
        });
    }

    [Test]
    public void TryAdd_ToError_WritesToStandardErrorOnly()
    {
        var output = new RecordingWriter();
        var error = new RecordingWriter();

        using (var writer = new ConsoleBatchWriter(output, error, Pause))
        {
            writer.TryAdd(Line("failed"), toError: true, maxQueuedLines: 100, dropWhenFull: false);
        }

        Assert.Multiple(() =>
        {
            Assert.That(error.Text, Is.EqualTo("failed\n"));
            Assert.That(output.Text, Is.Empty);
        });
    }

    [Test]
    public void Dispose_LinesStillQueued_WritesThemBeforeItReturns()
    {
        var output = new RecordingWriter();
        var writer = new ConsoleBatchWriter(output, new RecordingWriter(), Pause);
        writer.TryAdd(Line("a"), toError: false, maxQueuedLines: 100, dropWhenFull: false);
        writer.TryAdd(Line("b"), toError: false, maxQueuedLines: 100, dropWhenFull: false);

        writer.Dispose();

        Assert.That(output.Text, Does.EndWith("b\n").And.StartWith("a\n"));
    }

    [Test]
    public void TryAdd_AfterDispose_WritesTheLineAtOnce()
    {
        var output = new RecordingWriter();
        var writer = new ConsoleBatchWriter(output, new RecordingWriter(), Pause);
        writer.Dispose();

        writer.TryAdd(Line("stopping"), toError: false, maxQueuedLines: 100, dropWhenFull: false);

        Assert.That(output.Text, Is.EqualTo("stopping\n"));
    }

    [Test]
    public void TryAdd_QueueFullWithDropWhenFull_DropsTheLine()
    {
        var output = new RecordingWriter(blocked: true);
        using var writer = new ConsoleBatchWriter(output, new RecordingWriter(), Pause);
        writer.TryAdd(Line("being written"), toError: false, maxQueuedLines: 1, dropWhenFull: true);
        output.WaitUntilWriting();
        writer.TryAdd(Line("queued"), toError: false, maxQueuedLines: 1, dropWhenFull: true);

        var added = writer.TryAdd(Line("one too many"), toError: false, maxQueuedLines: 1, dropWhenFull: true);

        output.Release();
        Assert.That(added, Is.False);
    }

    [Test]
    public async Task TryAdd_QueueFull_WaitsUntilTheWriterTakesTheQueue()
    {
        var output = new RecordingWriter(blocked: true);
        using var writer = new ConsoleBatchWriter(output, new RecordingWriter(), Pause);
        writer.TryAdd(Line("being written"), toError: false, maxQueuedLines: 1, dropWhenFull: false);
        output.WaitUntilWriting();
        writer.TryAdd(Line("queued"), toError: false, maxQueuedLines: 1, dropWhenFull: false);

        var waiting = Task.Run(() => writer.TryAdd(Line("waits"), toError: false, maxQueuedLines: 1, dropWhenFull: false));
        var completedWhileFull = await Task.WhenAny(waiting, Task.Delay(200)) == waiting;
        output.Release();

        Assert.Multiple(async () =>
        {
            Assert.That(completedWhileFull, Is.False, "the caller went on while the queue was full");
            Assert.That(await waiting.WaitAsync(TimeSpan.FromSeconds(10)), Is.True);
        });
    }

    private static StringBuilder Line(string text) => new StringBuilder(text).Append('\n');

    /// <summary>A console that records what it is given, and can hold its first write until released.</summary>
    private sealed class RecordingWriter(bool blocked = false) : TextWriter
    {
        private readonly StringBuilder text = new();
        private readonly ManualResetEventSlim released = new(!blocked);
        private readonly ManualResetEventSlim writing = new();

        public override Encoding Encoding => Encoding.UTF8;

        public int Flushes { get; private set; }

        public string Text
        {
            get
            {
                lock (text)
                {
                    return text.ToString();
                }
            }
        }

        public override void Write(char value) => Write(value.ToString());

        public override void Write(string? value)
        {
            writing.Set();
            released.Wait(TimeSpan.FromSeconds(10));
            lock (text)
            {
                text.Append(value);
            }
        }

        public override void Write(StringBuilder? value) => Write(value?.ToString());

        public override void Flush() => Flushes++;

        public void WaitUntilWriting() => Assert.That(writing.Wait(TimeSpan.FromSeconds(10)), Is.True, "the writer never wrote");

        public void Release() => released.Set();

        public void WaitForText(string expected) =>
            Assert.That(SpinWait.SpinUntil(() => Text == expected, TimeSpan.FromSeconds(10)), Is.True, $"never wrote \"{expected}\"");
    }
}
