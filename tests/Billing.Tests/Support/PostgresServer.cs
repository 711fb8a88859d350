using System.Diagnostics;
using Npgsql;

namespace Billing.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL for the test run: started on first use from the local server binaries in a temp
/// directory on a free loopback port, stopped and deleted at the end of the run. Set BILLING_TEST_DATABASE to a
/// connection string (of a user allowed to create databases) to use an existing server instead.
/// </summary>
internal static class PostgresServer
{
    private const string ExternalServerVariable = "BILLING_TEST_DATABASE";
    private static readonly SemaphoreSlim StartLock = new(1, 1);
    private static LocalCluster? cluster;
    private static string? adminConnectionString;
    private static int databaseCounter;

    /// <summary>Creates an empty database for one fixture and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var admin = await GetAdminConnectionStringAsync();
        var name = $"billing_test_{Environment.ProcessId}_{Interlocked.Increment(ref databaseCounter)}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(await GetAdminConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A PostgreSQL server of the caller's own, from the local binaries, that it may stop and start to stage an
    /// outage without disturbing other fixtures; the caller disposes it.
    /// </summary>
    public static Task<LocalCluster> StartDedicatedAsync() => LocalCluster.CreateAndStartAsync();

    public static void StopIfStarted()
    {
        NpgsqlConnection.ClearAllPools();
        cluster?.Dispose();
        cluster = null;
    }

    private static async Task<string> GetAdminConnectionStringAsync()
    {
        await StartLock.WaitAsync();
        try
        {
            if (adminConnectionString is null)
            {
                var external = Environment.GetEnvironmentVariable(ExternalServerVariable);
                if (string.IsNullOrWhiteSpace(external))
                {
                    cluster = await LocalCluster.CreateAndStartAsync();
                    external = cluster.ConnectionString;
                }

                adminConnectionString = external;
            }

            return adminConnectionString;
        }
        finally
        {
            StartLock.Release();
        }
    }

    internal sealed class LocalCluster : IDisposable
    {
        private readonly string binDirectory;
        private readonly string rootDirectory;

        private LocalCluster(string binDirectory, string rootDirectory, int port)
        {
            this.binDirectory = binDirectory;
            this.rootDirectory = rootDirectory;
            ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true";
        }

        public string ConnectionString { get; }

        // PostgreSQL refuses to run as root: then its directories belong to the postgres user, and its tools run as it.
        private static bool RunAsPostgresUser { get; } = Environment.UserName == "root";

        private string DataDirectory => Path.Combine(rootDirectory, "data");

        public static async Task<LocalCluster> CreateAndStartAsync()
        {
            var binDirectory = FindBinDirectory() ?? throw new InvalidOperationException(
                "No PostgreSQL server binaries (initdb, pg_ctl) found on PATH or under /usr/lib/postgresql/*/bin. " +
                "Install them (Debian/Ubuntu: apt-get install -y postgresql) or set " + ExternalServerVariable +
                " to the connection string of a server where the user may create databases.");

            var rootDirectory = Directory.CreateTempSubdirectory("billing-tests-pg-").FullName;
            if (RunAsPostgresUser)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", rootDirectory]);
            }

            var server = new LocalCluster(binDirectory, rootDirectory, UnusedPort.Next());
            try
            {
                await server.StartServerAsync();
                return server;
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            try
            {
                if (IsRunning)
                {
                    RunPostgresToolAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "immediate", "-w"]).GetAwaiter().GetResult();
                }
            }
            finally
            {
                Directory.Delete(rootDirectory, recursive: true);
            }
        }

        public bool IsRunning => File.Exists(Path.Combine(DataDirectory, "postmaster.pid"));

        /// <summary>Stops the server the way an operator's restart does: clients are disconnected, connections refused.</summary>
        public Task StopAsync() => RunPostgresToolAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w"]);

        /// <summary>Starts the (stopped) server again on the same port; returns once it accepts connections.</summary>
        public Task StartAsync()
        {
            var port = new NpgsqlConnectionStringBuilder(ConnectionString).Port;
            // Durability is irrelevant for a throwaway server; skipping fsync keeps the suite fast.
            return RunPostgresToolAsync("pg_ctl",
            [
                "start", "-D", DataDirectory, "-w", "-t", "60", "-l", Path.Combine(rootDirectory, "server.log"),
                "-o", $"-p {port} -k {rootDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            ]);
        }

        private async Task StartServerAsync()
        {
            await RunPostgresToolAsync("initdb", ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
            await StartAsync();
        }

        /// <summary>Stops a cluster that another program started from the local binaries (scripts/run-local.sh), if it runs.</summary>
        public static Task StopForeignAsync(string dataDirectory) =>
            File.Exists(Path.Combine(dataDirectory, "postmaster.pid"))
                ? RunPostgresToolAsync(FindBinDirectory()!, "pg_ctl", ["stop", "-D", dataDirectory, "-m", "immediate", "-w"])
                : Task.CompletedTask;

        private Task RunPostgresToolAsync(string tool, string[] arguments) =>
            RunPostgresToolAsync(binDirectory, tool, arguments);

        private static Task RunPostgresToolAsync(string binDirectory, string tool, string[] arguments)
        {
            var executable = Path.Combine(binDirectory, tool);
            return RunAsPostgresUser
                ? RunAsync("runuser", ["-u", "postgres", "--", executable, .. arguments])
                : RunAsync(executable, arguments);
        }

        private static async Task RunAsync(string fileName, string[] arguments)
        {
            var startInfo = new ProcessStartInfo(fileName, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Path.GetTempPath(),
            };
            using var process = Process.Start(startInfo)
                ?? throw new InvalidOperationException($"Could not start {fileName}.");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
            }
        }

        private static string? FindBinDirectory()
        {
            var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .FirstOrDefault(directory => File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl")));
            if (onPath is not null)
            {
                return onPath;
            }

            const string DebianRoot = "/usr/lib/postgresql";
            return Directory.Exists(DebianRoot)
                ? Directory.GetDirectories(DebianRoot)
                    .Select(versionDirectory => Path.Combine(versionDirectory, "bin"))
                    .Where(directory => File.Exists(Path.Combine(directory, "initdb")))
                    .OrderByDescending(directory => int.TryParse(Path.GetFileName(Path.GetDirectoryName(directory)), out var version) ? version : 0)
                    .FirstOrDefault()
                : null;
        }
    }
}
