using System.Security.Cryptography;
using System.Text;

namespace WebSample.Stats;

/// <summary>
/// What the public dashboard shows of a cache key. Keys are <c>{character}|{context}|{prompt}</c> and the prompt part
/// is what a player typed (user data), so the dashboard, which needs no API key, shows the character and context (an
/// NPC and a scene, chosen by the game) and only a fingerprint of the rest; the admin API shows whole keys.
/// </summary>
internal static class TopKeyLabels
{
    /// <summary>The label of <paramref name="key"/>: <c>character | context | #fingerprint</c>.</summary>
    public static string Label(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var fingerprint = Fingerprint(key);

        // DialogueKey escapes '|' inside segments, so the first two '|' are the separators.
        var first = key.IndexOf('|', StringComparison.Ordinal);
        var second = first < 0 ? -1 : key.IndexOf('|', first + 1);
        if (second < 0)
        {
            return $"(other key) #{fingerprint}";
        }

        var character = Unescape(key[..first]);
        var context = Unescape(key[(first + 1)..second]);
        return context.Length == 0 ? $"{character} | #{fingerprint}" : $"{character} | {context} | #{fingerprint}";
    }

    /// <summary>The first 8 hex digits of the key's SHA-256: tells keys apart (and matches the admin API's) without showing them.</summary>
    public static string Fingerprint(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return Convert.ToHexStringLower(hash[..4]);
    }

    private static string Unescape(string segment) =>
        segment.Replace("%7C", "|", StringComparison.Ordinal).Replace("%25", "%", StringComparison.Ordinal);
}
