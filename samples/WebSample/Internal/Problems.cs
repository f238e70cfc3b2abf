namespace WebSample.Internal;

/// <summary>The sample's error answers: RFC 9457 problem details whose <c>detail</c> names what is wrong and how to fix it.</summary>
internal static class Problems
{
    public static IResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors,
            detail: string.Join(" ", errors.SelectMany(e => e.Value)),
            title: "The request is invalid");

    public static IResult UnsupportedMediaType(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");

    public static IResult TooLarge(long limit) =>
        TypedResults.Problem($"The request body is larger than {limit:N0} bytes.",
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
