using System.Text;
using System.Text.Json;
using Billing.Api.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Billing.Tests.Api.Observability;

public sealed class BatchedConsoleLoggerProviderTests
{
    private static readonly Action<ILogger, string, Exception?> PortalRequestEnded =
        LoggerMessage.Define<string>(LogLevel.Information, new EventId(1), "Portal request ended: {Outcome}");

    [Test]
    public void Log_JsonFormatterWithScopes_WritesTheBuiltInFormattersJsonLine()
    {
        using var console = new TestConsole(new()
        {
            ["Logging:Console:FormatterName"] = "json",
            ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
        });

        using (console.Logger.BeginScope(new Dictionary<string, object?> { ["TenantId"] = "tenant-1" }))
        {
            PortalRequestEnded(console.Logger, "created", null);
        }

        using var line = JsonDocument.Parse(console.StopAndReadOutput().Single());
        Assert.Multiple(() =>
        {
            Assert.That(line.RootElement.GetProperty("Message").GetString(), Is.EqualTo("Portal request ended: created"));
            Assert.That(line.RootElement.GetProperty("Scopes")[0].GetProperty("TenantId").GetString(), Is.EqualTo("tenant-1"));
        });
    }

    [Test]
    public void Log_AtTheStandardErrorThreshold_WritesToStandardError()
    {
        using var console = new TestConsole(new() { ["Logging:Console:LogToStandardErrorThreshold"] = "Error" });

        console.Write(LogLevel.Error, "broken");
        console.Write(LogLevel.Information, "fine");

        Assert.Multiple(() =>
        {
            Assert.That(string.Concat(console.StopAndReadOutput()), Does.Contain("fine").And.Not.Contain("broken"));
            Assert.That(console.Error, Does.Contain("broken").And.Not.Contain("fine"));
        });
    }

    [Test]
    public void Log_BelowTheConsolesOwnLogLevel_IsNotWritten()
    {
        using var console = new TestConsole(new() { ["Logging:Console:LogLevel:Default"] = "Warning" });

        console.Write(LogLevel.Information, "chatter");
        console.Write(LogLevel.Warning, "attention");

        Assert.That(string.Concat(console.StopAndReadOutput()), Does.Contain("attention").And.Not.Contain("chatter"));
    }

    [Test]
    public void Log_DropWriteWithAFullQueue_ReportsHowManyLinesWereDropped()
    {
        using var console = new TestConsole(new()
        {
            ["Logging:Console:MaxQueueLength"] = "1",
            ["Logging:Console:QueueFullMode"] = "DropWrite",
        }, holdFirstWrite: true);
        console.Write(LogLevel.Information, "being written");
        console.Output.WaitUntilWriting();
        console.Write(LogLevel.Information, "queued");
        console.Write(LogLevel.Information, "dropped");

        console.Output.Release();
        console.Output.WaitForText("queued");
        console.Write(LogLevel.Information, "after");

        var output = string.Concat(console.StopAndReadOutput());
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain("after").And.Not.Contain("dropped\n"));
            Assert.That(output, Does.Contain("1 earlier log line(s) were dropped"));
        });
    }

    [Test]
    public void AddObservability_Always_ReplacesTheBuiltInConsoleProvider()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddObservability();

        using var services = builder.Services.BuildServiceProvider();
        var providers = services.GetServices<ILoggerProvider>().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(providers.OfType<BatchedConsoleLoggerProvider>().Count(), Is.EqualTo(1));
            Assert.That(providers.OfType<ConsoleLoggerProvider>(), Is.Empty);
        });
    }

    /// <summary>The provider behind a logger factory, as the host wires it, writing to streams the test reads.</summary>
    private sealed class TestConsole : IDisposable
    {
        private readonly ServiceProvider services;
        private readonly BatchedConsoleLoggerProvider provider;
        private readonly LoggerFactory factory;
        private readonly GateStream error = new(hold: false);

        public TestConsole(Dictionary<string, string?> settings, bool holdFirstWrite = false)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            services = new ServiceCollection()
                .AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddConsole())
                .BuildServiceProvider();
            Output = new GateStream(holdFirstWrite);
            provider = new BatchedConsoleLoggerProvider(
                services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), services.GetServices<ConsoleFormatter>(), Output, error);
            factory = new LoggerFactory([provider], services.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>());
            Logger = factory.CreateLogger("Billing.Tests");
        }

        public ILogger Logger { get; }

        public void Write(LogLevel level, string message) => Logger.Log(level, default, message, null, static (text, _) => text);

        public GateStream Output { get; }

        public string Error => error.Text;

        /// <summary>Stops the provider, which writes what it still holds, and returns standard output's lines.</summary>
        public string[] StopAndReadOutput()
        {
            provider.Dispose();
            return Output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line + "\n").ToArray();
        }

        public void Dispose()
        {
            Output.Release();
            factory.Dispose();
            provider.Dispose();
            services.Dispose();
        }
    }

    /// <summary>A console stream that records what it is given, and can hold its first write until released.</summary>
    private sealed class GateStream(bool hold) : Stream
    {
        private readonly MemoryStream written = new();
        private readonly ManualResetEventSlim released = new(!hold);
        private readonly ManualResetEventSlim writing = new();

        public string Text
        {
            get
            {
                lock (written)
                {
                    return Encoding.UTF8.GetString(written.ToArray());
                }
            }
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            writing.Set();
            released.Wait(TimeSpan.FromSeconds(10));
            lock (written)
            {
                written.Write(buffer, offset, count);
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public void WaitUntilWriting() => Assert.That(writing.Wait(TimeSpan.FromSeconds(10)), Is.True, "the provider never wrote");

        public void Release() => released.Set();

        public void WaitForText(string expected) =>
            Assert.That(SpinWait.SpinUntil(() => Text.Contains(expected, StringComparison.Ordinal), TimeSpan.FromSeconds(10)), Is.True,
                $"never wrote \"{expected}\"");
    }
}
