using Billing.Api.Errors;
using Billing.Application.Common.Exceptions;
using Billing.Domain.Tenants;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Billing.Tests.Api.Errors;

public sealed class ApiExceptionFilterTests
{
    private static readonly TenantId Tenant = new(Guid.NewGuid());

    private ServiceProvider services = null!;
    private FakeLogger<ApiExceptionFilter> logger = null!;

    [SetUp]
    public void SetUp()
    {
        services = new ServiceCollection().AddLogging().AddProblemDetailsContract().AddControllers().Services.BuildServiceProvider();
        logger = new FakeLogger<ApiExceptionFilter>();
    }

    [TearDown]
    public void TearDown() => services.Dispose();

    [Test]
    public void OnException_TenantContextMissing_Answers400NoTenantContextFound()
    {
        var (status, problem) = Handle(new TenantContextMissingException());

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(StatusCodes.Status400BadRequest));
            Assert.That(problem.Extensions["error"], Is.EqualTo("No tenant context found"));
        });
    }

    [Test]
    public void OnException_ValidationFailed_Answers400ValidationFailedWithTheFieldsUnderErrors()
    {
        var failures = new[] { new ValidationFailure("returnUrl", "returnUrl must be a path."), new ValidationFailure("locale", "locale must be 'auto'.") };

        var (status, problem) = Handle(new ValidationException(failures));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(StatusCodes.Status400BadRequest));
            Assert.That(problem.Extensions["error"], Is.EqualTo("Validation failed"));
            Assert.That(((ValidationProblemDetails)problem).Errors, Is.EquivalentTo(new Dictionary<string, string[]>
            {
                ["returnUrl"] = ["returnUrl must be a path."],
                ["locale"] = ["locale must be 'auto'."],
            }));
        });
    }

    [Test]
    public void OnException_StripeCustomerNotFound_Answers404NoStripeCustomerFound()
    {
        var (status, problem) = Handle(new StripeCustomerNotFoundException(Tenant));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(StatusCodes.Status404NotFound));
            Assert.That(problem.Extensions["error"], Is.EqualTo("No Stripe customer found for this tenant"));
        });
    }

    [Test]
    public void OnException_StaleStripeCustomer_Answers404LikeAMissingCustomer()
    {
        var stale = new StripeCustomerNotFoundException(Tenant, new UnknownStripeCustomerException("cus_gone", "req_1"));

        var (status, problem) = Handle(stale);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(StatusCodes.Status404NotFound));
            Assert.That(problem.Extensions["error"], Is.EqualTo("No Stripe customer found for this tenant"));
        });
    }

    [TestCaseSource(nameof(ServerFailures))]
    public void OnException_ServerSideFailure_Answers500WithoutDisclosingIt(Exception failure)
    {
        var (status, problem) = Handle(failure);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(StatusCodes.Status500InternalServerError));
            Assert.That(problem.Title, Is.EqualTo("Internal server error"));
            Assert.That(problem.Extensions["error"], Is.EqualTo("Internal server error"));
            Assert.That(problem.Detail, Is.Null);
        });
    }

    [Test]
    public void OnException_ServerSideFailure_LogsTheExceptionAsAnError()
    {
        var failure = new PaymentProviderException("Stripe answered 500 (api_error)", "req_42");

        Handle(failure);

        Assert.Multiple(() =>
        {
            Assert.That(logger.LatestRecord.Level, Is.EqualTo(LogLevel.Error));
            Assert.That(logger.LatestRecord.Exception, Is.SameAs(failure));
        });
    }

    [Test]
    public void OnException_ClientHungUp_AnswersNothingAndLogsNothing()
    {
        var httpContext = new DefaultHttpContext { RequestServices = services };
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();
        httpContext.RequestAborted = aborted.Token;
        var context = CreateContext(httpContext, new OperationCanceledException(aborted.Token));

        new ApiExceptionFilter(services.GetRequiredService<ProblemDetailsFactory>(), logger).OnException(context);

        Assert.Multiple(() =>
        {
            Assert.That(context.ExceptionHandled, Is.True);
            Assert.That(context.Result, Is.InstanceOf<EmptyResult>());
            Assert.That(logger.Collector.Count, Is.Zero);
        });
    }

    [Test]
    public void OnException_AnyMappedException_ProducesProblemJsonWithTraceId()
    {
        var context = CreateContext(new DefaultHttpContext { RequestServices = services }, new TenantContextMissingException());

        new ApiExceptionFilter(services.GetRequiredService<ProblemDetailsFactory>(), logger).OnException(context);

        var result = (ObjectResult)context.Result!;
        var problem = (ProblemDetails)result.Value!;
        Assert.Multiple(() =>
        {
            Assert.That(result.ContentTypes.Single(), Is.EqualTo("application/problem+json"));
            Assert.That(problem.Type, Is.Not.Null.And.Not.Empty);
            Assert.That(problem.Extensions, Contains.Key("traceId"));
        });
    }

    private static IEnumerable<Exception> ServerFailures() =>
    [
        new PaymentProviderException("Stripe answered 500 (api_error)", "req_42"),
        new PaymentProviderException("Stripe did not answer within 10 s."),
        new InvalidOperationException("Npgsql: password authentication failed for user billing"),
    ];

    private (int Status, ProblemDetails Problem) Handle(Exception exception)
    {
        var context = CreateContext(new DefaultHttpContext { RequestServices = services }, exception);
        new ApiExceptionFilter(services.GetRequiredService<ProblemDetailsFactory>(), logger).OnException(context);
        Assert.That(context.ExceptionHandled, Is.True);
        var result = (ObjectResult)context.Result!;
        return (result.StatusCode!.Value, (ProblemDetails)result.Value!);
    }

    private static ExceptionContext CreateContext(HttpContext httpContext, Exception exception) =>
        new(new ActionContext(httpContext, new RouteData(), new ActionDescriptor()), []) { Exception = exception };
}
