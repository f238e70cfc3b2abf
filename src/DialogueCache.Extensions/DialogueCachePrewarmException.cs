namespace Dialogue.Caching;

/// <summary>
/// Prewarm input could not be loaded. The message names the file and, when known, the line and the
/// position in it (both 1-based). Nothing from the input was stored.
/// </summary>
public sealed class DialogueCachePrewarmException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public DialogueCachePrewarmException(string message) : this(message, null, 0, 0)
    {
    }

    /// <summary>Creates an exception with a message and the error that caused it.</summary>
    public DialogueCachePrewarmException(string message, Exception innerException) : this(message, null, 0, 0, innerException)
    {
    }

    /// <summary>Creates an exception that names the file and the place in it.</summary>
    /// <param name="reason">What is wrong, without the place.</param>
    /// <param name="path">The file, or <see langword="null"/> when the reader does not know it (a loader reads a stream).</param>
    /// <param name="lineNumber">The 1-based line, or 0 when unknown.</param>
    /// <param name="position">The 1-based position in the line, in bytes, or 0 when unknown.</param>
    /// <param name="innerException">The error that caused it, if any.</param>
    public DialogueCachePrewarmException(string reason, string? path, long lineNumber, long position, Exception? innerException = null)
        : base(Format(reason, path, lineNumber, position), innerException)
    {
        Reason = reason;
        FilePath = path;
        LineNumber = lineNumber;
        Position = position;
    }

    /// <summary>Creates an exception without a message.</summary>
    public DialogueCachePrewarmException() : this("Prewarm input could not be loaded.")
    {
    }

    /// <summary>What is wrong, without the place.</summary>
    public string Reason { get; }

    /// <summary>The file being loaded, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The 1-based line of the error, or 0 when unknown.</summary>
    public long LineNumber { get; }

    /// <summary>The 1-based position in the line (in bytes), or 0 when unknown.</summary>
    public long Position { get; }

    /// <summary>The same error, naming <paramref name="path"/> as the file.</summary>
    internal DialogueCachePrewarmException WithPath(string path) =>
        new(Reason, path, LineNumber, Position, InnerException ?? this);

    private static string Format(string reason, string? path, long lineNumber, long position)
    {
        var where = path is null ? "Prewarm input" : $"Prewarm file '{path}'";
        return lineNumber > 0
            ? $"{where}, line {lineNumber}, position {position}: {reason}"
            : $"{where}: {reason}";
    }
}
