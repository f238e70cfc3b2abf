using System.Text;

namespace WebSample.Internal;

/// <summary>Checks on text from requests that the cache key builder would otherwise reject with an exception.</summary>
internal static class TextChecks
{
    /// <summary>Whether <paramref name="text"/> is well-formed UTF-16 (JSON's <c>\uD800</c> escapes can make lone surrogates).</summary>
    public static bool IsWellFormed(string text)
    {
        var span = text.AsSpan();
        while (!span.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(span, out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            span = span[consumed..];
        }

        return true;
    }
}
