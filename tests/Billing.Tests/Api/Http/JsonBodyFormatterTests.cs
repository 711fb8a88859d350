using System.Text;
using Billing.Api.Http;
using Billing.Application.PortalSessions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Billing.Tests.Api.Http;

/// <summary>The formatter as the API sets it up: MVC's options with <see cref="JsonSetup.AddJsonContract"/> applied.</summary>
public sealed class JsonBodyFormatterTests
{
    private static readonly JsonBodyFormatter Formatter = new ServiceCollection()
        .AddLogging()
        .AddMvcCore().Services
        .AddJsonContract()
        .BuildServiceProvider()
        .GetRequiredService<IOptions<MvcOptions>>().Value.InputFormatters.OfType<JsonBodyFormatter>().Single();

    [Test]
    public async Task ReadAsync_ValidBody_ReturnsTheRequest()
    {
        var (result, _) = await ReadAsync("""{"flow":"payment_method_update","locale":"fr"}""");

        Assert.That(result.Model, Is.EqualTo(new PortalSessionRequest(Flow: "payment_method_update", Locale: "fr")));
    }

    [Test]
    public async Task ReadAsync_Utf16Body_ReadsIt()
    {
        var (result, _) = await ReadAsync("""{"locale":"de"}""", contentType: "application/json; charset=utf-16", encoding: Encoding.Unicode);

        Assert.That(result.Model, Is.EqualTo(new PortalSessionRequest(Locale: "de")));
    }

    [Test]
    public async Task ReadAsync_JsonNull_AddsAModelErrorForTheWholeDocument()
    {
        var (result, modelState) = await ReadAsync("null");

        Assert.Multiple(() =>
        {
            Assert.That(result.HasError, Is.True);
            Assert.That(modelState[JsonBodyFormatter.DocumentPath]?.Errors, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task ReadAsync_WrongTypeForAMember_AddsAModelErrorAtItsJsonPathWithoutTheParserMessage()
    {
        var (result, modelState) = await ReadAsync("""{"flow":5}""");

        var error = modelState["$.flow"]?.Errors.Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.HasError, Is.True);
            Assert.That(error?.Exception, Is.Not.InstanceOf<InputFormatterException>());
            Assert.That(error?.ErrorMessage, Is.Empty);
        });
    }

    [Test]
    public async Task ReadAsync_UnknownMember_IsRefused()
    {
        var (result, modelState) = await ReadAsync("""{"customer":"cus_other"}""");

        Assert.Multiple(() =>
        {
            Assert.That(result.HasError, Is.True);
            Assert.That(modelState.IsValid, Is.False);
        });
    }

    [TestCase("""{"Locale":"fr"}""")]
    [TestCase("""{"RETURNURL":"/x"}""")]
    public async Task ReadAsync_MemberNameInAnotherCase_IsRefused(string json)
    {
        var (result, _) = await ReadAsync(json);

        Assert.That(result.HasError, Is.True);
    }

    [Test]
    public async Task ReadAsync_MoreInputAfterTheValue_IsRefused()
    {
        var (result, _) = await ReadAsync("""{} {"locale":"fr"}""");

        Assert.That(result.HasError, Is.True);
    }

    [TestCase("application/json")]
    [TestCase("application/json; charset=utf-8")]
    public void CanRead_ApplicationJson_IsTrue(string contentType)
    {
        Assert.That(Formatter.CanRead(Context(contentType, [])), Is.True);
    }

    [TestCase("text/json")]
    [TestCase("application/merge-patch+json")]
    [TestCase("application/vnd.api+json")]
    [TestCase("application/json-patch+json")]
    public void CanRead_OtherJsonMediaType_IsFalse(string contentType)
    {
        Assert.That(Formatter.CanRead(Context(contentType, [])), Is.False);
    }

    [Test]
    public void ExceptionPolicy_Always_TurnsEveryReadFailureIntoAModelError()
    {
        // So that Kestrel's 413 (a BadHttpRequestException) reaches the invalid-model-state factory.
        Assert.That(((IInputFormatterExceptionPolicy)Formatter).ExceptionPolicy, Is.EqualTo(InputFormatterExceptionPolicy.AllExceptions));
    }

    private static async Task<(InputFormatterResult Result, ModelStateDictionary ModelState)> ReadAsync(
        string json, string contentType = "application/json", Encoding? encoding = null)
    {
        var context = Context(contentType, (encoding ?? Encoding.UTF8).GetBytes(json));
        var result = await Formatter.ReadAsync(context);
        return (result, context.ModelState);
    }

    /// <summary>As the body model binder makes it for the endpoint's optional body.</summary>
    private static InputFormatterContext Context(string contentType, byte[] body)
    {
        var httpContext = new DefaultHttpContext();
        httpContext.Request.ContentType = contentType;
        httpContext.Request.ContentLength = body.Length;
        httpContext.Request.Body = new MemoryStream(body);
        return new InputFormatterContext(
            httpContext,
            modelName: string.Empty,
            new ModelStateDictionary(),
            new EmptyModelMetadataProvider().GetMetadataForType(typeof(PortalSessionRequest)),
            (stream, streamEncoding) => new StreamReader(stream, streamEncoding),
            treatEmptyInputAsDefaultValue: true);
    }
}
