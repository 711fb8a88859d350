using System.Diagnostics;
using System.Globalization;

namespace Billing.Tests.Support;

/// <summary>
/// A shell script run as a developer runs it, in a process group of its own (<c>setsid</c>), so that stopping it stops
/// everything it started, as Ctrl-C in a terminal would. What it writes is kept for waits and failure messages; it is
/// kept out of the suite's secret scan, since such a script prints the tokens a developer pastes.
/// </summary>
internal sealed class ScriptProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly Arrivals<string> output = new();

    private ScriptProcess(Process process) => this.process = process;

    /// <summary>Starts <c>bash <paramref name="script"/></c> in <paramref name="workingDirectory"/>; a null value in <paramref name="environment"/> removes that variable.</summary>
    public static ScriptProcess Start(string workingDirectory, string script, IReadOnlyDictionary<string, string?> environment)
    {
        // setsid makes the script the leader of a new process group whose id is its own process id: Process.Start's
        // child never leads a group, so setsid runs it in place rather than in a fork.
        var startInfo = new ProcessStartInfo("setsid", ["bash", script])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var started = new ScriptProcess(Process.Start(startInfo)!);
        started.process.OutputDataReceived += (_, line) => started.Keep(line.Data);
        started.process.ErrorDataReceived += (_, line) => started.Keep(line.Data);
        started.process.BeginOutputReadLine();
        started.process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Waits for a line that satisfies <paramref name="predicate"/>, and returns it.</summary>
    /// <exception cref="InvalidOperationException">The script ended first, or no such line came within <paramref name="timeout"/>; the message holds its output.</exception>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, string awaited, TimeSpan timeout)
    {
        var written = output.WaitUntilAsync(lines => lines.Any(predicate), awaited, timeout);
        await Task.WhenAny(written, process.WaitForExitAsync());
        if (written.IsCompletedSuccessfully)
        {
            return written.Result.First(predicate);
        }

        var ending = process.HasExited ? $"the script exited with {process.ExitCode}" : $"none within {timeout.TotalSeconds} s";
        throw new InvalidOperationException(
            $"Waited for {awaited}: {ending}. Its output:{Environment.NewLine}{string.Join(Environment.NewLine, output.Snapshot())}");
    }

    /// <summary>
    /// Sends SIGTERM to the whole group, as a terminal's Ctrl-C reaches every process, and waits for the script to
    /// finish its own clean-up; SIGKILL for whatever is left after <paramref name="grace"/>.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await SignalGroupAsync("TERM");
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Reported by the caller's own checks; the group goes in any case.
        }

        await SignalGroupAsync("KILL");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            await StopAsync(TimeSpan.FromSeconds(30));
        }

        process.Dispose();
    }

    private async Task SignalGroupAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", "--", $"-{process.Id.ToString(CultureInfo.InvariantCulture)}"])
        {
            RedirectStandardError = true,
        })!;
        await kill.WaitForExitAsync();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            output.Add(line);
        }
    }
}
