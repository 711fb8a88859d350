using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Billing.Api.Observability;

/// <summary>
/// The console logger with the built-in formatters (json, simple, systemd) and the usual <c>Logging:Console</c>
/// settings (<c>FormatterName</c>, <c>FormatterOptions</c>, <c>LogToStandardErrorThreshold</c>, <c>MaxQueueLength</c>,
/// <c>QueueFullMode</c>), writing through a <see cref="ConsoleBatchWriter"/> instead of one console write per line.
/// </summary>
[ProviderAlias("Console")]
internal sealed class BatchedConsoleLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    // Lines wait at most this long; under load, that gathers dozens of them into one write.
    internal static readonly TimeSpan WritePause = TimeSpan.FromMilliseconds(10);

    private readonly ConcurrentDictionary<string, ConsoleBatchLogger> loggers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConsoleFormatter> formatters;
    private readonly IDisposable? optionsChange;
    private readonly ConsoleBatchWriter writer;
    private IExternalScopeProvider scopeProvider = new LoggerExternalScopeProvider();
    private volatile LineSettings settings;
    private int droppedLines;

    public BatchedConsoleLoggerProvider(IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters)
        : this(options, formatters, Console.OpenStandardOutput(), Console.OpenStandardError())
    {
    }

    internal BatchedConsoleLoggerProvider(
        IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters, Stream output, Stream error)
    {
        this.formatters = formatters.ToDictionary(formatter => formatter.Name, StringComparer.OrdinalIgnoreCase);
        settings = ToSettings(options.CurrentValue);
        optionsChange = options.OnChange(changed => settings = ToSettings(changed));
        writer = new ConsoleBatchWriter(Buffered(output), Buffered(error), WritePause);
    }

    public ILogger CreateLogger(string categoryName) =>
        loggers.GetOrAdd(categoryName, static (name, provider) => new ConsoleBatchLogger(name, provider), this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => this.scopeProvider = scopeProvider;

    /// <summary>Writes the lines still queued.</summary>
    public void Dispose()
    {
        optionsChange?.Dispose();
        writer.Dispose();
    }

    private LineSettings ToSettings(ConsoleLoggerOptions options) => new(
        formatters.GetValueOrDefault(options.FormatterName ?? ConsoleFormatterNames.Simple) ?? formatters[ConsoleFormatterNames.Simple],
        options.LogToStandardErrorThreshold,
        options.MaxQueueLength,
        options.QueueFullMode == ConsoleLoggerQueueFullMode.DropWrite);

    // Buffered, so that a batch leaves in one write instead of 256-byte pieces.
    private static StreamWriter Buffered(Stream stream) => new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024);

    private void Write<TState>(in LogEntry<TState> entry, StringWriter line)
    {
        var current = settings;
        current.Formatter.Write(entry, scopeProvider, line);
        var text = line.GetStringBuilder();
        if (text.Length == 0)
        {
            return;
        }

        var toError = entry.LogLevel >= current.StandardErrorThreshold;
        if (!writer.TryAdd(text, toError, current.MaxQueuedLines, current.DropWhenFull))
        {
            Interlocked.Increment(ref droppedLines);
        }
        else if (Volatile.Read(ref droppedLines) > 0 && Interlocked.Exchange(ref droppedLines, 0) is var dropped and > 0)
        {
            text.Clear();
            current.Formatter.Write(DroppedLinesNotice(entry.Category, dropped), scopeProvider, line);
            writer.TryAdd(text, toError: LogLevel.Warning >= current.StandardErrorThreshold, int.MaxValue, dropWhenFull: false);
        }

        text.Clear();
    }

    private static LogEntry<string> DroppedLinesNotice(string category, int dropped) => new(
        LogLevel.Warning, category, default,
        $"{dropped} earlier log line(s) were dropped because the console could not keep up (Logging:Console:QueueFullMode is DropWrite).",
        exception: null, static (message, _) => message);

    private sealed record LineSettings(ConsoleFormatter Formatter, LogLevel StandardErrorThreshold, int MaxQueuedLines, bool DropWhenFull);

    private sealed class ConsoleBatchLogger(string category, BatchedConsoleLoggerProvider provider) : ILogger
    {
        // A rare long line (an exception's stack) does not keep a large buffer on every thread.
        private const int RetainedLineCapacity = 16 * 1024;

        [ThreadStatic]
        private static StringWriter? line;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider.scopeProvider.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var text = line ??= new StringWriter();
            provider.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), text);
            if (text.GetStringBuilder().Capacity > RetainedLineCapacity)
            {
                text.GetStringBuilder().Capacity = RetainedLineCapacity;
            }
        }
    }
}
