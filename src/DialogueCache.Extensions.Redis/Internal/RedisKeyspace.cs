using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Dialogue.Caching.Redis.Internal;

/// <summary>
/// Where one cache lives in Redis: entries under <c>{KeyPrefix}{cache name}:{hash}</c>, where the hash is the
/// SHA-256 of the cache key (base64url, 43 characters), and invalidations on the channel
/// <c>{KeyPrefix}{cache name}:backplane</c>.
/// </summary>
/// <remarks>
/// Keys are hashed because cache keys carry prompt text: a hash keeps user data out of key listings, slow
/// logs and ACL patterns, bounds the key length, and cannot contain glob characters. The original key is kept
/// inside the value (<see cref="EntryCodec"/>), so pattern invalidation still matches substrings of it. The
/// scan pattern ends in exactly <see cref="HashLength"/> wildcards, so the cache <c>a</c> never matches the
/// keys of a cache called <c>a:b</c>.
/// </remarks>
internal sealed class RedisKeyspace
{
    /// <summary>Length of the base64url text of a SHA-256 hash.</summary>
    public const int HashLength = 43;

    private const int StackLimit = 512;
    private static readonly SearchValues<char> GlobCharacters = SearchValues.Create(@"*?[]\^");
    private readonly string _keyPrefix;

    public RedisKeyspace(string keyPrefix, string cacheName)
    {
        _keyPrefix = keyPrefix + cacheName + ":";
        ChannelName = _keyPrefix + "backplane";
        Channel = RedisChannel.Literal(ChannelName);
        ScanPattern = EscapeGlob(_keyPrefix) + new string('?', HashLength);
    }

    /// <summary>What every entry key of this cache starts with.</summary>
    public string KeyPrefix => _keyPrefix;

    /// <summary>The backplane channel of this cache.</summary>
    public RedisChannel Channel { get; }

    /// <summary>The channel's name.</summary>
    public string ChannelName { get; }

    /// <summary>A SCAN MATCH pattern that matches this cache's entry keys and no other cache's.</summary>
    public string ScanPattern { get; }

    /// <summary>The Redis key of a cache key.</summary>
    public RedisKey KeyFor(string cacheKey)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(cacheKey.Length);
        byte[]? rented = null;
        var buffer = maxBytes <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var length = Encoding.UTF8.GetBytes(cacheKey, buffer);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer[..length], hash);
            return string.Concat(_keyPrefix, Base64Url.EncodeToString(hash));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Escapes the characters that Redis glob patterns treat specially.</summary>
    public static string EscapeGlob(string text)
    {
        if (text.AsSpan().IndexOfAny(GlobCharacters) < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\' or '^')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
