using Billing.Api.Authentication;
using Billing.Api.Errors;
using Billing.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Api.Authentication;

public sealed class BearerAuthenticationTests
{
    [Test]
    public async Task Challenge_NoToken_Writes401ProblemWithErrorUnauthorizedAndBearerChallenge()
    {
        var (response, body) = await ChallengeAsync(authenticateFailure: null);

        var problem = ProblemBody.Parse(body);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(StatusCodes.Status401Unauthorized));
            Assert.That(response.ContentType, Is.EqualTo("application/problem+json"));
            Assert.That(response.Headers.WWWAuthenticate.ToString(), Is.EqualTo("Bearer"));
            Assert.That(problem.Error, Is.EqualTo("Unauthorized"));
            Assert.That(problem.Status, Is.EqualTo(401));
            Assert.That(problem.TraceId, Is.Not.Null.And.Not.Empty);
        });
    }

    [Test]
    public async Task Challenge_RejectedToken_SaysInvalidTokenButNotWhy()
    {
        var (response, body) = await ChallengeAsync(new InvalidOperationException("IDX10223: Lifetime validation failed."));

        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.WWWAuthenticate.ToString(), Is.EqualTo("Bearer error=\"invalid_token\""));
            Assert.That(body, Does.Not.Contain("IDX10223"));
        });
    }

    private static async Task<(HttpResponse Response, string Body)> ChallengeAsync(Exception? authenticateFailure)
    {
        await using var services = new ServiceCollection().AddLogging().AddProblemDetailsContract().AddControllers().Services.BuildServiceProvider();
        var httpContext = new DefaultHttpContext { RequestServices = services };
        httpContext.Response.Body = new MemoryStream();
        var scheme = new AuthenticationScheme(JwtBearerDefaults.AuthenticationScheme, null, typeof(JwtBearerHandler));
        var context = new JwtBearerChallengeContext(httpContext, scheme, new JwtBearerOptions(), new AuthenticationProperties())
        {
            AuthenticateFailure = authenticateFailure,
        };

        await BearerAuthentication.WriteUnauthorizedProblemAsync(context);

        httpContext.Response.Body.Position = 0;
        return (httpContext.Response, await new StreamReader(httpContext.Response.Body).ReadToEndAsync());
    }
}
