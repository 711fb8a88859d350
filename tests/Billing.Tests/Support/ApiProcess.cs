using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Billing.Tests.Support;

/// <summary>
/// The API as it is deployed: its own build output run by <c>dotnet</c> in a child process, configured through
/// environment variables only, with everything it writes to standard output kept for assertions.
/// </summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly Arrivals<string> output = new();

    private ApiProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IReadOnlyList<string> Output => output.Snapshot();

    /// <summary>Starts the API with <paramref name="settings"/> (configuration keys, ':' allowed) and waits until it is ready.</summary>
    public static async Task<ApiProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, string environment = "Production")
    {
        var assembly = RepositoryPaths.ApiAssembly;
        var baseAddress = new Uri($"http://127.0.0.1:{UnusedPort.Next()}");
        var startInfo = new ProcessStartInfo("dotnet", [assembly])
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        startInfo.Environment["ASPNETCORE_URLS"] = baseAddress.ToString();
        foreach (var (key, value) in settings)
        {
            startInfo.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var api = new ApiProcess(Process.Start(startInfo)!, baseAddress);
        api.process.OutputDataReceived += (_, line) => api.Keep(line.Data);
        api.process.ErrorDataReceived += (_, line) => api.Keep(line.Data);
        api.process.BeginOutputReadLine();
        api.process.BeginErrorReadLine();
        await api.WaitUntilReadyAsync();
        return api;
    }

    /// <summary>Waits until a line of output satisfies <paramref name="predicate"/>, and returns it.</summary>
    /// <exception cref="TimeoutException">No such line within 10 s; the message holds the output.</exception>
    public async Task<string> WaitForOutputAsync(Func<string, bool> predicate)
    {
        var written = await output.WaitUntilAsync(lines => lines.Any(predicate), "such a line of output", TimeSpan.FromSeconds(10));
        return written.First(predicate);
    }

    /// <summary>Sends SIGTERM, as an orchestrator does to stop a container, and returns the exit code, or null if it did not exit in time.</summary>
    public async Task<int?> TerminateAsync(TimeSpan waitForExit)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(waitForExit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            output.Add(line);
            SuiteLogs.Add(line);
        }
    }

    /// <summary>
    /// Waits for the host's "Application started" line (written once every hosted service, the migrations included,
    /// has started and Kestrel listens) or for the process to end, then asks the readiness probe once.
    /// </summary>
    private async Task WaitUntilReadyAsync()
    {
        var started = output.WaitUntilAsync(lines => lines.Any(IsStartedLine), "the API to start", TimeSpan.FromSeconds(30));
        await Task.WhenAny(started, process.WaitForExitAsync());
        if (started.IsCompletedSuccessfully)
        {
            using var client = new HttpClient { BaseAddress = BaseAddress };
            using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }
        }

        await DisposeAsync();
        throw new InvalidOperationException($"The API did not become ready. Output:{Environment.NewLine}{string.Join(Environment.NewLine, Output)}");
    }

    private static bool IsStartedLine(string line) => line.Contains("Application started", StringComparison.Ordinal);
}
