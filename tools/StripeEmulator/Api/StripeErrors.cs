namespace StripeEmulator.Api;

/// <summary>Stripe's error answers: <c>{"error":{"type","code","param","message"}}</c> with the status Stripe gives.</summary>
internal static class StripeErrors
{
    private const string InvalidRequest = "invalid_request_error";

    /// <summary>
    /// An id that names nothing: 404 when it is the object the URL asks for, 400 when it is a parameter of the request
    /// (e.g. the customer of a new Checkout session), as Stripe answers.
    /// </summary>
    public static IResult NoSuch(string kind, string id, string param, bool inPath) =>
        Error(inPath ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest,
            InvalidRequest, "resource_missing", param, $"No such {kind}: '{id}'");

    public static IResult Missing(string param) =>
        Error(StatusCodes.Status400BadRequest, InvalidRequest, "parameter_missing", param, $"Missing required param: {param}.");

    public static IResult Invalid(string param, string message) =>
        Error(StatusCodes.Status400BadRequest, InvalidRequest, "parameter_invalid", param, message);

    public static IResult InvalidUrl(string param) =>
        Error(StatusCodes.Status400BadRequest, InvalidRequest, "url_invalid", param, $"Not a valid URL: {param} must be an absolute http(s) URL.");

    public static IResult UnrecognizedUrl(HttpRequest request) =>
        Error(StatusCodes.Status404NotFound, InvalidRequest, code: null, param: null,
            $"Unrecognized request URL ({request.Method}: {request.Path}). This emulator serves only what tools/StripeEmulator/README.md lists.");

    /// <summary>401 without echoing the key, which Stripe also only shows redacted.</summary>
    public static IResult Unauthorized(string message) =>
        Error(StatusCodes.Status401Unauthorized, InvalidRequest, code: null, param: null, message);

    private static IResult Error(int status, string type, string? code, string? param, string message) =>
        Results.Json(new { error = new { type, code, param, message } }, StripeJson.Options, statusCode: status);
}
