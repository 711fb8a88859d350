using System.Collections.Concurrent;
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
    private readonly ConcurrentQueue<string> output = new();

    private ApiProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IReadOnlyList<string> Output => output.ToArray();

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
    public async Task<string> WaitForOutputAsync(Func<string, bool> predicate)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (output.FirstOrDefault(predicate) is { } line)
            {
                return line;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No such line within 10 s. Output:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
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
            output.Enqueue(line);
            SuiteLogs.Add(line);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        await DisposeAsync();
        throw new InvalidOperationException($"The API did not become ready. Output:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
    }
}
