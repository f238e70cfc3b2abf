namespace WebSample.Admin;

/// <summary>The body of a successful <c>DELETE /cache/entries?pattern=...</c>.</summary>
/// <param name="Removed">How many entries the pattern removed.</param>
internal sealed record InvalidationResult(int Removed);
