using System.Diagnostics;

namespace Billing.Tests.Support;

/// <summary>
/// The repository as a fresh clone has it, in a temp directory: its tracked files and the new ones git would add
/// (<c>git ls-files -co --exclude-standard</c>), so nothing ignored, such as bin/, obj/ or .local/, is reused.
/// </summary>
internal sealed class RepositoryCopy : IDisposable
{
    private RepositoryCopy(string root) => Root = root;

    public string Root { get; }

    public static async Task<RepositoryCopy> CreateAsync()
    {
        // Not CreateTempSubdirectory, whose 0700 would lock out the postgres user that run-local.sh runs PostgreSQL
        // as; a clone's folder gets the umask's mode, as this one does.
        var copy = new RepositoryCopy(Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"billing-fresh-clone-{Guid.NewGuid():N}")).FullName);
        foreach (var file in await ListFilesAsync())
        {
            var source = Path.Combine(RepositoryPaths.Root, file);
            // A tracked file deleted in the work tree is not in a clone of the work tree either.
            if (File.Exists(source))
            {
                var target = Path.Combine(copy.Root, file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                // On Unix File.Copy keeps the file's mode, so the scripts stay executable.
                File.Copy(source, target);
            }
        }

        return copy;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static async Task<IReadOnlyList<string>> ListFilesAsync()
    {
        var startInfo = new ProcessStartInfo("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var git = Process.Start(startInfo)!;
        var output = git.StandardOutput.ReadToEndAsync();
        var error = git.StandardError.ReadToEndAsync();
        await git.WaitForExitAsync();
        return git.ExitCode == 0
            ? (await output).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            : throw new InvalidOperationException($"git ls-files failed: {await error}");
    }
}
