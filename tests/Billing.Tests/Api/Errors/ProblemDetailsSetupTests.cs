using Billing.Api.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Api.Errors;

public sealed class ProblemDetailsSetupTests
{
    private ServiceProvider services = null!;

    [SetUp]
    public void SetUp() =>
        services = new ServiceCollection().AddLogging().AddProblemDetailsContract().AddControllers().Services.BuildServiceProvider();

    [TearDown]
    public void TearDown() => services.Dispose();

    [Test]
    public void InvalidModelState_MalformedJson_Returns400ValidationProblemWithErrorValidationFailed()
    {
        var context = new ActionContext(new DefaultHttpContext { RequestServices = services }, new RouteData(), new ActionDescriptor());
        context.ModelState.AddModelError("$", "'}' is an invalid start of a value.");

        var result = (BadRequestObjectResult)ProblemDetailsSetup.InvalidModelState(context);

        var problem = (ValidationProblemDetails)result.Value!;
        Assert.Multiple(() =>
        {
            Assert.That(result.ContentTypes.Single(), Is.EqualTo("application/problem+json"));
            Assert.That(problem.Status, Is.EqualTo(StatusCodes.Status400BadRequest));
            Assert.That(problem.Extensions["error"], Is.EqualTo("Validation failed"));
            Assert.That(problem.Errors, Contains.Key("$"));
        });
    }

    [Test]
    public void CustomizeProblemDetails_FrameworkClientError_AddsErrorFromTheTitle()
    {
        var factory = services.GetRequiredService<ProblemDetailsFactory>();

        var problem = factory.CreateProblemDetails(new DefaultHttpContext { RequestServices = services }, StatusCodes.Status415UnsupportedMediaType);

        Assert.Multiple(() =>
        {
            Assert.That(problem.Extensions["error"], Is.EqualTo("Unsupported Media Type"));
            Assert.That(problem.Extensions, Contains.Key("traceId"));
        });
    }

    [Test]
    public void CustomizeProblemDetails_ServerError_UsesTheContractsTextAndDropsTheDetail()
    {
        var factory = services.GetRequiredService<ProblemDetailsFactory>();

        var problem = factory.CreateProblemDetails(
            new DefaultHttpContext { RequestServices = services }, StatusCodes.Status500InternalServerError, detail: "NpgsqlException: connection refused");

        Assert.Multiple(() =>
        {
            Assert.That(problem.Title, Is.EqualTo("Internal server error"));
            Assert.That(problem.Extensions["error"], Is.EqualTo("Internal server error"));
            Assert.That(problem.Detail, Is.Null);
        });
    }
}
