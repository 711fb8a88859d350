namespace Billing.Tests.Support;

/// <summary>Files of the repository that tests use as they are (the sample SPA, the API's own build output), or write (the docs' screenshots).</summary>
internal static class RepositoryPaths
{
    private static readonly DirectoryInfo TestDirectory = new(TestContext.CurrentContext.TestDirectory);

    /// <summary>The folder that holds Billing.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string SampleSpa => Path.Combine(Root, "samples", "spa");

    /// <summary>The README's pictures, which the browser tests take anew.</summary>
    public static string DocsImages => Path.Combine(Root, "docs", "images");

    /// <summary>Billing.Api.dll as its own project built it (bin/&lt;configuration&gt;/&lt;tfm&gt;), next to its appsettings.json.</summary>
    public static string ApiAssembly
    {
        get
        {
            var assembly = Path.Combine(Root, "src", "Billing.Api", "bin", TestDirectory.Parent!.Name, TestDirectory.Name, "Billing.Api.dll");
            return File.Exists(assembly) ? assembly : throw new FileNotFoundException("Build the solution first.", assembly);
        }
    }

    private static string FindRoot()
    {
        for (var directory = TestDirectory; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Billing.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Billing.sln above {TestDirectory.FullName}.");
    }
}
