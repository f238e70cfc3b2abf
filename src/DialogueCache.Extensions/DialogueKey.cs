using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Dialogue.Caching;

/// <summary>
/// Builds normalized, injection-safe cache keys for dialogue responses, so that equivalent requests
/// share one cache entry and no input can produce the key of another character, context or prompt.
/// </summary>
/// <remarks>
/// <para>A key has the form <c>{character}|{context}|{prompt}</c>:</para>
/// <list type="bullet">
/// <item><description><c>character</c> and <c>context</c> stay readable: Unicode NFKC, trimmed, each run
/// of white space collapsed to one space, case kept (ordinal).</description></item>
/// <item><description>The prompt is normalized the same way and also lower-cased (invariant culture).
/// If the result has at most 200 characters it appears as <c>t:</c> followed by that text; otherwise as
/// <c>h:</c> followed by the SHA-256 of its UTF-8 bytes in base64url without padding (43 characters).
/// </description></item>
/// <item><description>In every segment <c>%</c> is written <c>%25</c> and <c>|</c> is written
/// <c>%7C</c>, so a key always has exactly three segments. Nothing else is escaped: a character named
/// <c>npc:blacksmith</c> gives a key that starts with <c>npc:blacksmith|</c>.</description></item>
/// </list>
/// <para>Two calls give the same key exactly when their normalized character, context and prompt are
/// equal (barring a SHA-256 collision). The keys hold prompt text: treat them as user data.</para>
/// </remarks>
public static class DialogueKey
{
    // Longer prompts are hashed: keys stay bounded and long texts are not duplicated into keys.
    private const int MaxTextPromptLength = 200;

    // Base64url of the 32-byte SHA-256, without padding.
    private const int HashedPromptLength = 43;

    // Scratch buffers up to this many elements live on the stack; larger ones come from ArrayPool.
    private const int StackallocThreshold = 512;

    /// <summary>Creates the cache key for a character's response to a prompt in a context.</summary>
    /// <param name="character">Who answers, for example <c>npc:blacksmith</c>. Must not be empty or
    /// white space only after normalization.</param>
    /// <param name="context">What the answer depends on besides the prompt (scene, quest state, persona
    /// version); may be empty.</param>
    /// <param name="prompt">What was said to the character. Must not be empty or white space only after
    /// normalization.</param>
    /// <returns>The key, of the form <c>{character}|{context}|t:{prompt}</c> or
    /// <c>{character}|{context}|h:{sha256}</c>; see <see cref="DialogueKey"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="character"/>, <paramref name="context"/>
    /// or <paramref name="prompt"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="character"/> or <paramref name="prompt"/> is
    /// empty or white space only after normalization, or an argument contains a lone surrogate.</exception>
    public static string Create(string character, string context, string prompt)
    {
        ArgumentNullException.ThrowIfNull(character);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(prompt);

        string nfkcCharacter = ToNfkc(character, nameof(character));
        string nfkcContext = ToNfkc(context, nameof(context));
        string nfkcPrompt = ToNfkc(prompt, nameof(prompt));

        // Trimming and collapsing only shorten, so the NFKC lengths bound the normalized segments.
        int scratchLength = nfkcCharacter.Length + nfkcContext.Length + nfkcPrompt.Length;
        char[]? rented = null;
        Span<char> scratch = scratchLength <= StackallocThreshold
            ? stackalloc char[StackallocThreshold]
            : (rented = ArrayPool<char>.Shared.Rent(scratchLength));
        try
        {
            int characterLength = CollapseWhitespace(nfkcCharacter, scratch);
            ThrowIfEmpty(characterLength, nameof(character));
            ReadOnlySpan<char> normalizedCharacter = scratch[..characterLength];
            Span<char> free = scratch[characterLength..];

            int contextLength = CollapseWhitespace(nfkcContext, free);
            ReadOnlySpan<char> normalizedContext = free[..contextLength];
            free = free[contextLength..];

            // Invariant lower-casing keeps the length and never turns white space into text or back,
            // so case-folding first and then collapsing in place gives the same text as the other order.
            Span<char> promptBuffer = free[..nfkcPrompt.Length];
            nfkcPrompt.AsSpan().ToLowerInvariant(promptBuffer);
            int promptLength = CollapseWhitespace(promptBuffer, promptBuffer);
            ThrowIfEmpty(promptLength, nameof(prompt));
            ReadOnlySpan<char> normalizedPrompt = promptBuffer[..promptLength];

            if (normalizedPrompt.Length <= MaxTextPromptLength)
            {
                return BuildKey(normalizedCharacter, normalizedContext, 't', normalizedPrompt, escapePrompt: true);
            }

            Span<char> hash = stackalloc char[HashedPromptLength];
            HashPrompt(normalizedPrompt, hash);
            return BuildKey(normalizedCharacter, normalizedContext, 'h', hash, escapePrompt: false);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Returns the pattern to pass to <see cref="IDialogueCache.InvalidatePattern(string)"/> to remove the
    /// entries of one character: the normalized, escaped character followed by <c>|</c>.
    /// </summary>
    /// <remarks>
    /// <see cref="IDialogueCache.InvalidatePattern(string)"/> matches substrings, so the pattern also
    /// matches keys whose character, or whose context, ends with the same text:
    /// <c>CharacterPattern("smith")</c> is <c>smith|</c> and also removes the entries of
    /// <c>blacksmith</c>, and of any character whose context is or ends with <c>smith</c>. Callers who
    /// need an exact match should choose character names that are not suffixes of one another or of a
    /// context.
    /// </remarks>
    /// <param name="character">The character, as passed to <see cref="Create(string, string, string)"/>.</param>
    /// <returns>The pattern, for example <c>npc:blacksmith|</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="character"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="character"/> is empty or white space only after
    /// normalization, or contains a lone surrogate.</exception>
    public static string CharacterPattern(string character)
    {
        ArgumentNullException.ThrowIfNull(character);

        string nfkcCharacter = ToNfkc(character, nameof(character));
        char[]? rented = null;
        Span<char> scratch = nfkcCharacter.Length <= StackallocThreshold
            ? stackalloc char[StackallocThreshold]
            : (rented = ArrayPool<char>.Shared.Rent(nfkcCharacter.Length));
        try
        {
            int characterLength = CollapseWhitespace(nfkcCharacter, scratch);
            ThrowIfEmpty(characterLength, nameof(character));
            ReadOnlySpan<char> normalizedCharacter = scratch[..characterLength];

            return string.Create(
                EscapedLength(normalizedCharacter) + 1,
                new KeyParts(normalizedCharacter, default, default, default, escapePrompt: false),
                static (destination, parts) =>
                {
                    int written = Escape(parts.Character, destination);
                    destination[written] = '|';
                });
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static string BuildKey(
        ReadOnlySpan<char> character, ReadOnlySpan<char> context, char marker, ReadOnlySpan<char> prompt, bool escapePrompt)
    {
        int length = EscapedLength(character) + 1 + EscapedLength(context) + 1
            + 2 + (escapePrompt ? EscapedLength(prompt) : prompt.Length);

        return string.Create(
            length,
            new KeyParts(character, context, marker, prompt, escapePrompt),
            static (destination, parts) =>
            {
                int written = Escape(parts.Character, destination);
                destination[written++] = '|';
                written += Escape(parts.Context, destination[written..]);
                destination[written++] = '|';
                destination[written++] = parts.Marker;
                destination[written++] = ':';
                if (parts.EscapePrompt)
                {
                    Escape(parts.Prompt, destination[written..]);
                }
                else
                {
                    parts.Prompt.CopyTo(destination[written..]);
                }
            });
    }

    private static string ToNfkc(string value, string paramName)
    {
        try
        {
            return value.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException ex)
        {
            // Normalize rejects lone surrogates but names its own parameter; name the caller's instead.
            throw new ArgumentException("The value contains invalid UTF-16 (a lone surrogate).", paramName, ex);
        }
    }

    private static void ThrowIfEmpty(int normalizedLength, string paramName)
    {
        if (normalizedLength == 0)
        {
            throw new ArgumentException("The value must contain something other than white space.", paramName);
        }
    }

    // Trims and turns each run of white space into one ' '. Destination may be the same memory as source:
    // a character is only written after it, or a white space char before it, has been read.
    private static int CollapseWhitespace(ReadOnlySpan<char> source, Span<char> destination)
    {
        int written = 0;
        bool pendingSpace = false;
        foreach (char c in source)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = written > 0;
                continue;
            }

            if (pendingSpace)
            {
                destination[written++] = ' ';
                pendingSpace = false;
            }

            destination[written++] = c;
        }

        return written;
    }

    // The prompt is valid UTF-16 here (NFKC rejected lone surrogates), so the UTF-8 bytes are exact.
    private static void HashPrompt(ReadOnlySpan<char> prompt, Span<char> destination)
    {
        int byteCount = Encoding.UTF8.GetByteCount(prompt);
        byte[]? rented = null;
        Span<byte> utf8 = byteCount <= StackallocThreshold
            ? stackalloc byte[StackallocThreshold]
            : (rented = ArrayPool<byte>.Shared.Rent(byteCount));
        try
        {
            int written = Encoding.UTF8.GetBytes(prompt, utf8);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(utf8[..written], hash);
            Base64Url.EncodeToChars(hash, destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // '%' and '|' become three characters each; everything else stays as it is.
    private static int EscapedLength(ReadOnlySpan<char> value) =>
        value.Length + (2 * (value.Count('%') + value.Count('|')));

    private static int Escape(ReadOnlySpan<char> source, Span<char> destination)
    {
        int written = 0;
        foreach (char c in source)
        {
            switch (c)
            {
                case '%':
                    "%25".CopyTo(destination[written..]);
                    written += 3;
                    break;
                case '|':
                    "%7C".CopyTo(destination[written..]);
                    written += 3;
                    break;
                default:
                    destination[written++] = c;
                    break;
            }
        }

        return written;
    }

    // The segments handed to string.Create, which writes the key straight into the new string.
    private readonly ref struct KeyParts(
        ReadOnlySpan<char> character, ReadOnlySpan<char> context, char marker, ReadOnlySpan<char> prompt, bool escapePrompt)
    {
        public ReadOnlySpan<char> Character { get; } = character;

        public ReadOnlySpan<char> Context { get; } = context;

        public char Marker { get; } = marker;

        public ReadOnlySpan<char> Prompt { get; } = prompt;

        public bool EscapePrompt { get; } = escapePrompt;
    }
}
