#:sdk Microsoft.NET.Sdk.Web

// Serves the sample SPA on an origin of its own for scripts/run-local.sh, as an SPA's host does: its files as they
// are, and index.html for any path that names no file, since Stripe sends users back to {App:PublicUrl}/settings/billing.
//
//   dotnet run scripts/serve-spa.cs -- <folder> <url>      e.g. -- "$PWD/samples/spa" http://localhost:5173
//
// The folder is best given as an absolute path: `dotnet run` starts a web app in the directory of its file (scripts/).
using Microsoft.Extensions.FileProviders;

if (args is not [var folder, var url] || !Directory.Exists(folder))
{
    Console.Error.WriteLine("usage: dotnet run scripts/serve-spa.cs -- <folder> <url>");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls(url);
// A line per request is noise here; start-up, warnings and errors are not.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var app = builder.Build();
var files = new PhysicalFileProvider(Path.GetFullPath(folder));
app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
app.MapFallbackToFile("index.html", new StaticFileOptions { FileProvider = files });
await app.RunAsync();
return 0;
