namespace StripeEmulator;

/// <summary>
/// The emulator as a process (<c>dotnet run --project tools/StripeEmulator</c>). A class of its own namespace rather than
/// top-level statements, whose public <c>Program</c> would clash with the API's in the test project that references both.
/// </summary>
internal static class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddStripeEmulator(builder.Configuration);

        var app = builder.Build();
        app.MapStripeEmulator();
        app.Run();
    }
}
