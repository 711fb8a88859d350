using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Billing.Tests.EndToEnd;

/// <summary>What a healthy deployment serves besides the endpoint: probes, Swagger, and problem bodies for stray requests.</summary>
public sealed class HostingTests : EndToEndTestBase
{
    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    public async Task GetHealth_MigratedDatabase_Returns200(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task GetReady_MigratedDatabase_ReportsEachCheckAsJson()
    {
        using var response = await Client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var checks = report.RootElement.GetProperty("checks");
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(report.RootElement.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(checks.GetProperty("postgresql").GetProperty("description").GetString(), Is.EqualTo("PostgreSQL answered."));
            Assert.That(checks.GetProperty("migrations").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(checks.GetProperty("migrations").GetProperty("data").GetProperty("pending").GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public async Task GetSwaggerJson_Enabled_DocumentsEveryResponseOfThePortalEndpoint()
    {
        using var response = await Client.GetAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var operation = document.RootElement.GetProperty("paths").GetProperty("/api/subscriptions/portal").GetProperty("post");
        var responses = operation.GetProperty("responses").EnumerateObject().Select(property => property.Name);
        Assert.Multiple(() =>
        {
            Assert.That(responses, Is.EquivalentTo(new[] { "200", "400", "401", "403", "404", "413", "415", "429", "500", "503" }));
            Assert.That(operation.GetProperty("summary").GetString(), Does.Contain("Billing Portal session"));
            Assert.That(document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer")
                .GetProperty("scheme").GetString(), Is.EqualTo("bearer"));
        });
    }

    [Test]
    public async Task GetSwaggerUi_Enabled_ServesThePage()
    {
        using var response = await Client.GetAsync(new Uri("/swagger/index.html", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void SocketTransport_Configured_ListensWithABacklogForAThousandSimultaneousConnects()
    {
        var backlog = Factory.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.Backlog;

        Assert.That(backlog, Is.GreaterThanOrEqualTo(1000));
    }

    [Test]
    public void JwtBearer_Configured_DoesNotKeepTheBearerTokenInTheTicket()
    {
        var options = Factory.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

        Assert.That(options.SaveToken, Is.False);
    }

    [Test]
    public async Task GetUnknownPath_Returns404Problem()
    {
        using var response = await Client.GetAsync(new Uri("/api/nothing-here", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        });
    }
}
