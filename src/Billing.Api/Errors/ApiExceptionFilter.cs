using Billing.Application.Common.Exceptions;
using FluentValidation;
using FluentValidation.AspNetCore;
using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Billing.Api.Errors;

/// <summary>The one place where application exceptions become HTTP responses.</summary>
internal sealed partial class ApiExceptionFilter(ProblemDetailsFactory problemDetailsFactory, ILogger<ApiExceptionFilter> logger)
    : IExceptionFilter
{
    internal const string ProblemContentType = "application/problem+json";

    public void OnException(ExceptionContext context)
    {
        var httpContext = context.HttpContext;
        if (context.Exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The caller hung up: nobody reads an answer, and nothing failed on our side.
            context.Result = new EmptyResult();
            context.ExceptionHandled = true;
            return;
        }

        if (context.Exception is ValidationException validation)
        {
            var errors = new ModelStateDictionary();
            new ValidationResult(validation.Errors).AddToModelState(errors);
            context.Result = ProblemDetailsSetup.ValidationProblem(problemDetailsFactory, httpContext, errors);
            context.ExceptionHandled = true;
            return;
        }

        if (context.Exception is StripeBusyException busy)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfter.InWholeSeconds(busy.RetryAfter);
        }

        var (status, error) = context.Exception switch
        {
            TenantContextMissingException => (StatusCodes.Status400BadRequest, ErrorMessages.NoTenantContext),
            StripeCustomerNotFoundException => (StatusCodes.Status404NotFound, ErrorMessages.NoStripeCustomer),
            StripeSubscriptionNotFoundException => (StatusCodes.Status404NotFound, ErrorMessages.NoStripeSubscription),
            StripeBusyException => (StatusCodes.Status503ServiceUnavailable, ErrorMessages.StripeBusy),
            SubscriptionAlreadyExistsException => (StatusCodes.Status409Conflict, ErrorMessages.SubscriptionExists),
            StripeWebhooksDisabledException => (StatusCodes.Status404NotFound, ErrorMessages.NotFound),
            InvalidStripeSignatureException => (StatusCodes.Status400BadRequest, ErrorMessages.InvalidSignature),
            InvalidStripeEventException => (StatusCodes.Status400BadRequest, ErrorMessages.InvalidEvent),
            // Kestrel refusing to read more of a body the action reads itself (over its size limit).
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, ErrorMessages.ContentTooLarge),
            _ => (StatusCodes.Status500InternalServerError, ErrorMessages.InternalServerError),
        };

        if (status == StatusCodes.Status500InternalServerError)
        {
            LogFailure(logger, context.Exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        var problem = problemDetailsFactory.CreateProblemDetails(httpContext, status, title: error);
        context.Result = new ObjectResult(problem) { StatusCode = status, ContentTypes = { ProblemContentType } };
        context.ExceptionHandled = true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, Exception exception, string method, string path);
}
