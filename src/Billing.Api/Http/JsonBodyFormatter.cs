using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Formatters;

namespace Billing.Api.Http;

/// <summary>
/// MVC's JSON input formatter, with three differences:
/// <list type="bullet">
/// <item>A body the server refuses to read (Kestrel's 413 for a body over the action's size limit, a client hanging
/// up mid-body) becomes a model error like malformed JSON instead of an exception. It is then answered by the
/// invalid-model-state factory with its own status, and the audit filter sees it like any other refused body.</item>
/// <item>Only <c>application/json</c>: the contract answers 415 to anything else, <c>text/json</c> and
/// <c>application/*+json</c> included.</item>
/// <item>A JSON <c>null</c> body is refused: the contract allows no body or an object, and MVC would treat
/// <c>null</c> as no body.</item>
/// </list>
/// </summary>
internal sealed class JsonBodyFormatter : SystemTextJsonInputFormatter, IInputFormatterExceptionPolicy
{
    /// <summary>The model error key of a <c>null</c> body: the JSON path of the whole document.</summary>
    public const string DocumentPath = "$";

    public JsonBodyFormatter(JsonOptions options, ILogger<SystemTextJsonInputFormatter> logger)
        : base(options, logger)
    {
        SupportedMediaTypes.Clear();
        SupportedMediaTypes.Add("application/json");
    }

    /// <summary>
    /// Exactly <c>application/json</c>, with or without parameters. MVC's media type matching would also take any
    /// <c>application/*+json</c> (<c>application/vnd.api+json</c>, <c>application/merge-patch+json</c>) for it.
    /// </summary>
    public override bool CanRead(InputFormatterContext context) =>
        base.CanRead(context) && new MediaType(context.HttpContext.Request.ContentType!).SubType.Equals("json", StringComparison.OrdinalIgnoreCase);

    public InputFormatterExceptionPolicy ExceptionPolicy => InputFormatterExceptionPolicy.AllExceptions;

    /// <summary>Called only when the request has a body: an empty one never gets here.</summary>
    public override async Task<InputFormatterResult> ReadRequestBodyAsync(InputFormatterContext context)
    {
        var result = await base.ReadRequestBodyAsync(context);
        if (result is { HasError: false, Model: null })
        {
            context.ModelState.TryAddModelError(DocumentPath, "The body must be a JSON object, or absent.");
            return InputFormatterResult.Failure();
        }

        return result;
    }
}
