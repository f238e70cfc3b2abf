using System.Globalization;
using System.Text;

namespace Dialogue.Caching.AI.Internal;

/// <summary>
/// Normalizes conversation text the way <see cref="DialogueKey"/> normalizes a prompt (Unicode NFKC, invariant
/// lower case, trimmed, each run of white space collapsed to one space), so that texts which differ only in
/// spacing or case give the same cache key.
/// </summary>
internal static class TextNormalizer
{
    public static string Normalize(string text, string what, string paramName)
    {
        string nfkc;
        try
        {
            nfkc = text.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"{what} contains invalid UTF-16 (a lone surrogate).", paramName, ex);
        }

        var lower = nfkc.ToLower(CultureInfo.InvariantCulture);
        var builder = new StringBuilder(lower.Length);
        var pendingSpace = false;
        foreach (var c in lower)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
