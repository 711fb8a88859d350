using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.WebUtilities;

namespace Billing.Api.Errors;

internal static class ProblemDetailsSetup
{
    /// <summary>
    /// Every error body, whoever writes it (exception filter, model binding, JwtBearer's challenge, status code pages,
    /// exception handler), is RFC 9457 problem+json and also carries the contract's <c>error</c> member.
    /// </summary>
    public static IServiceCollection AddProblemDetailsContract(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (problem.Status == StatusCodes.Status500InternalServerError)
            {
                problem.Title = ErrorMessages.InternalServerError;
                problem.Detail = null;
            }

            // ASP.NET Core knows no type URI for 429; RFC 9457 wants one (or about:blank) on every problem.
            problem.Type ??= problem.Status == StatusCodes.Status429TooManyRequests
                ? "https://tools.ietf.org/html/rfc6585#section-4"
                : "about:blank";
            problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);
            problem.Extensions.TryAdd("error", problem.Title);
        });

        return services;
    }

    /// <summary>
    /// Malformed JSON and unreadable query values: a ValidationProblemDetails whose <c>error</c> is the contract's
    /// text. A body the server refused to read (Kestrel's 413) keeps the server's status instead.
    /// </summary>
    public static IActionResult InvalidModelState(ActionContext context)
    {
        var factory = context.HttpContext.RequestServices.GetRequiredService<ProblemDetailsFactory>();
        var refusedBody = context.ModelState.Values.SelectMany(entry => entry.Errors)
            .Select(error => error.Exception).OfType<BadHttpRequestException>().FirstOrDefault();
        if (refusedBody is not null)
        {
            var status = refusedBody.StatusCode;
            var title = status == StatusCodes.Status413PayloadTooLarge ? ErrorMessages.ContentTooLarge : ReasonPhrases.GetReasonPhrase(status);
            return new ObjectResult(factory.CreateProblemDetails(context.HttpContext, status, title))
            {
                StatusCode = status,
                ContentTypes = { ApiExceptionFilter.ProblemContentType },
            };
        }

        return ValidationProblem(factory, context.HttpContext, context.ModelState);
    }

    /// <summary>The contract's 400 for a request that cannot be served as it is: the failed fields under <c>errors</c>.</summary>
    public static BadRequestObjectResult ValidationProblem(ProblemDetailsFactory factory, HttpContext httpContext, ModelStateDictionary errors)
    {
        var problem = factory.CreateValidationProblemDetails(
            httpContext, errors, StatusCodes.Status400BadRequest, title: ErrorMessages.ValidationFailed);
        return new BadRequestObjectResult(problem) { ContentTypes = { ApiExceptionFilter.ProblemContentType } };
    }
}
