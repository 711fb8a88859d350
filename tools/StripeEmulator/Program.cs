using StripeEmulator;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddStripeEmulator(builder.Configuration);

var app = builder.Build();
app.MapStripeEmulator();
app.Run();
