using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Billing.Tests.Support;

/// <summary>
/// Every log line the API writes anywhere in the test run (in-process hosts and API processes alike), rendered
/// with its message, properties, scopes and exception, so that it can be searched for secrets.
/// </summary>
internal static partial class SuiteLogs
{
    private static readonly ConcurrentQueue<string> Lines = new();
    private static int scanned;

    /// <summary>A logger provider for hosts under test; it keeps every line of every category and level.</summary>
    public static ILoggerProvider Provider { get; } = new CapturingProvider();

    public static int Count => Lines.Count;

    public static void Add(string line) => Lines.Enqueue(line);

    /// <summary>The lines that contain a secret, among those written since the previous call.</summary>
    public static IReadOnlyList<string> SecretsSinceLastScan()
    {
        var all = Lines.ToArray();
        var from = Interlocked.Exchange(ref scanned, all.Length);
        return all.Skip(Math.Min(from, all.Length)).Where(ContainsSecret).ToArray();
    }

    /// <summary>Stripe secret and restricted keys, bearer tokens (JWTs), and billing portal session URLs.</summary>
    public static bool ContainsSecret(string line) => Secret().IsMatch(line);

    [GeneratedRegex(@"(?:sk|rk)_(?:test|live)_|Bearer\s+[A-Za-z0-9\-._~+/]{20,}|eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.|/p/session/", RegexOptions.IgnoreCase)]
    private static partial Regex Secret();

    private sealed class CapturingProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(string category, CapturingProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => provider.scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = new StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
                if (state is IEnumerable<KeyValuePair<string, object?>> properties)
                {
                    line.AppendJoin(' ', properties.Select(property => $" {property.Key}={property.Value}"));
                }

                provider.scopes.ForEachScope((scope, builder) => builder.Append(" scope=").Append(scope), line);
                if (exception is not null)
                {
                    line.Append(' ').Append(exception);
                }

                Add(line.ToString());
            }
        }
    }
}
