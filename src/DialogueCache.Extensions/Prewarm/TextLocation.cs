namespace Dialogue.Caching.Prewarm;

/// <summary>A place in the input: 1-based line, and 1-based byte position within that line.</summary>
internal readonly record struct TextLocation(long Line, long Position);
