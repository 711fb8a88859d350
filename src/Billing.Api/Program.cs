using Billing.Api;
using Billing.Api.Observability;

var builder = WebApplication.CreateBuilder(args);
builder.AddObservability();

builder.Services
    .AddApplicationServices()
    .AddInfrastructureServices()
    .AddApiServices();

var app = builder.Build();
app.UseBillingApi();
app.Run();

/// <summary>Entry point; public so that tests can host the API with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
