using System.Text;

namespace Billing.Api.Observability;

/// <summary>
/// Writes log lines to the console in batches, from a thread of its own. The built-in console logger wakes its
/// thread for every line and writes each line in 256-byte pieces: under load, a wake-up, two thread switches and
/// about five system calls per request. Here the lines that arrive while the writer pauses go out together, in one
/// write, and a line only wakes the writer when it is idle.
/// </summary>
internal sealed class ConsoleBatchWriter : IDisposable
{
    private readonly object gate = new();
    private readonly TextWriter output;
    private readonly TextWriter error;
    private readonly TimeSpan pause;
    private readonly Thread thread;
    private StringBuilder pendingOutput = new();
    private StringBuilder pendingError = new();
    private StringBuilder writingOutput = new();
    private StringBuilder writingError = new();
    private int pendingLines;
    private bool writerIdle;
    private bool stopping;
    private bool stopped;

    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="pause">How long the writer waits after a write, so that the lines logged meanwhile share the next one.</param>
    public ConsoleBatchWriter(TextWriter output, TextWriter error, TimeSpan pause)
    {
        this.output = output;
        this.error = error;
        this.pause = pause;
        thread = new Thread(WriteBatches) { IsBackground = true, Name = "Console log writer" };
        thread.Start();
    }

    /// <summary>
    /// Queues a line. When <paramref name="maxQueuedLines"/> are already waiting, the caller waits for the console,
    /// or with <paramref name="dropWhenFull"/> the line is dropped and this returns false.
    /// </summary>
    public bool TryAdd(StringBuilder line, bool toError, int maxQueuedLines, bool dropWhenFull)
    {
        lock (gate)
        {
            while (!stopping && pendingLines >= maxQueuedLines)
            {
                if (dropWhenFull)
                {
                    return false;
                }

                Monitor.Wait(gate);
            }

            if (stopped)
            {
                // Shut down: what is still logged goes out at once.
                Write(toError ? error : output, line);
                return true;
            }

            (toError ? pendingError : pendingOutput).Append(line);
            pendingLines++;
            if (writerIdle)
            {
                writerIdle = false;
                Monitor.PulseAll(gate);
            }

            return true;
        }
    }

    /// <summary>Writes what is queued and stops the writer.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            stopping = true;
            Monitor.PulseAll(gate);
        }

        thread.Join();
    }

    private void WriteBatches()
    {
        while (true)
        {
            lock (gate)
            {
                while (pendingLines == 0)
                {
                    if (stopping)
                    {
                        stopped = true;
                        return;
                    }

                    writerIdle = true;
                    Monitor.Wait(gate);
                }

                (pendingOutput, writingOutput) = (writingOutput, pendingOutput);
                (pendingError, writingError) = (writingError, pendingError);
                pendingLines = 0;
                // Callers held back by a full queue may go on.
                Monitor.PulseAll(gate);
            }

            Write(output, writingOutput);
            Write(error, writingError);
            writingOutput.Clear();
            writingError.Clear();
            if (!Volatile.Read(ref stopping))
            {
                Thread.Sleep(pause);
            }
        }
    }

    private static void Write(TextWriter console, StringBuilder text)
    {
        if (text.Length == 0)
        {
            return;
        }

        try
        {
            console.Write(text);
            console.Flush();
        }
        catch (IOException)
        {
            // A console that is gone (a closed pipe) must not stop the service; its lines are lost.
        }
    }
}
