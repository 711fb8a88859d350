using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.Extensions.Options;

namespace Billing.Api.Http;

/// <summary>
/// MVC's JSON input formatter, with two differences:
/// <list type="bullet">
/// <item>A body the server refuses to read (Kestrel's 413 for a body over the action's size limit, a client hanging
/// up mid-body) becomes a model error like malformed JSON instead of an exception. It is then answered by the
/// invalid-model-state factory with its own status, and the audit filter sees it like any other refused body.</item>
/// <item>The body is read whole and then parsed in one synchronous call. MVC's formatter deserializes
/// asynchronously from the request pipe, and that resumable machinery cost more than parsing a portal request.
/// The bodies here are small; the action's request size limit (or Kestrel's) bounds what is buffered.</item>
/// </list>
/// Otherwise the same as MVC's formatter: media types, encodings, serializer options and model errors.
/// </summary>
internal sealed class JsonBodyFormatter : TextInputFormatter, IInputFormatterExceptionPolicy
{
    private readonly JsonOptions options;

    public JsonBodyFormatter(JsonOptions options)
    {
        this.options = options;
        SupportedEncodings.Add(UTF8EncodingWithoutBOM);
        SupportedEncodings.Add(UTF16EncodingLittleEndian);
        SupportedMediaTypes.Add("application/json");
        SupportedMediaTypes.Add("text/json");
        SupportedMediaTypes.Add("application/*+json");
    }

    public InputFormatterExceptionPolicy ExceptionPolicy => InputFormatterExceptionPolicy.AllExceptions;

    public override async Task<InputFormatterResult> ReadRequestBodyAsync(InputFormatterContext context, Encoding encoding)
    {
        var bodyReader = context.HttpContext.Request.BodyReader;
        var read = await bodyReader.ReadAsync();
        while (!read.IsCompleted)
        {
            bodyReader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            read = await bodyReader.ReadAsync();
        }

        try
        {
            var model = Deserialize(read.Buffer, encoding, context.ModelType);
            return model is null && !context.TreatEmptyInputAsDefaultValue ? InputFormatterResult.NoValue() : InputFormatterResult.Success(model);
        }
        catch (JsonException exception)
        {
            // As MVC's formatter: the JSON path as the key, and the parser's message only when the options allow it.
            var error = options.AllowInputFormatterExceptionMessages ? new InputFormatterException(exception.Message, exception) : (Exception)exception;
            context.ModelState.TryAddModelError(exception.Path ?? string.Empty, error, context.Metadata);
            return InputFormatterResult.Failure();
        }
        catch (Exception exception) when (exception is FormatException or OverflowException)
        {
            context.ModelState.TryAddModelError(string.Empty, exception, context.Metadata);
            return InputFormatterResult.Failure();
        }
        finally
        {
            bodyReader.AdvanceTo(read.Buffer.End);
        }
    }

    private object? Deserialize(ReadOnlySequence<byte> body, Encoding encoding, Type modelType)
    {
        // The span overload, unlike the reader one, refuses anything after the value and applies the serializer's
        // reader options (comments, trailing commas, depth).
        if (encoding.CodePage != Encoding.UTF8.CodePage)
        {
            return JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(encoding.GetString(body)), modelType, options.JsonSerializerOptions);
        }

        return body.IsSingleSegment
            ? JsonSerializer.Deserialize(body.FirstSpan, modelType, options.JsonSerializerOptions)
            : JsonSerializer.Deserialize(body.ToArray(), modelType, options.JsonSerializerOptions);
    }
}

internal static class JsonBodyFormatterSetup
{
    public static IServiceCollection AddJsonBodyFormatter(this IServiceCollection services)
    {
        services.AddOptions<MvcOptions>().Configure<IOptions<JsonOptions>>((mvc, json) =>
        {
            var index = mvc.InputFormatters.IndexOf(mvc.InputFormatters.OfType<SystemTextJsonInputFormatter>().Single());
            mvc.InputFormatters[index] = new JsonBodyFormatter(json.Value);
        });
        return services;
    }
}
