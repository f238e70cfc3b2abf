using Dialogue.Caching.Redis.Internal;
using StackExchange.Redis;

namespace Dialogue.Caching.Redis;

/// <summary>
/// Pattern invalidation and clear: SCAN (never KEYS) over this cache's keys on every primary, in batches of
/// <see cref="RedisStoreOptions.ScanBatchSize"/>, and UNLINK (freed by the server in the background) per batch.
/// </summary>
/// <remarks>
/// Keys are hashes, so a pattern is matched against the original key kept at the start of each value: one
/// pipelined GETRANGE per scanned key reads the first bytes only (a second one for keys longer than
/// <see cref="EntryCodec.KeyProbeBytes"/>), never the values. The backplane message goes out before the scan
/// (other nodes stop serving their copies at once) and again after it (so a copy refilled from a key not yet
/// unlinked is dropped too).
/// </remarks>
public sealed partial class RedisDialogueCacheStore
{
    /// <inheritdoc />
    public void RemoveContaining(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        if (TryConnection("remove", out var connection))
        {
            RunScan("remove", connection, BackplaneMessageKind.Pattern, pattern);
        }
    }

    /// <inheritdoc />
    public void Clear()
    {
        if (TryConnection("clear", out var connection))
        {
            RunScan("clear", connection, BackplaneMessageKind.Clear, string.Empty);
        }
    }

    /// <summary>Scans and removes; for tests, how many keys were unlinked.</summary>
    internal async Task<long> RemoveMatchingAsync(IConnectionMultiplexer connection, BackplaneMessageKind kind, string pattern)
    {
        await Publish(connection, kind, pattern).ConfigureAwait(false);
        var database = connection.GetDatabase();
        var primaries = connection.GetServers().Where(s => s.IsConnected && !s.IsReplica).ToArray();
        if (primaries.Length == 0)
        {
            throw new RedisStoreUnavailableException("No connected Redis primary to scan.");
        }

        long removed = 0;
        foreach (var server in primaries)
        {
            var cursor = "0";
            do
            {
                var reply = (RedisResult[])(await server.ExecuteAsync(
                    "SCAN", [cursor, "MATCH", Keyspace.ScanPattern, "COUNT", _options.ScanBatchSize]).ConfigureAwait(false))!;
                cursor = (string)reply[0]!;
                var keys = (RedisKey[])reply[1]!;
                if (keys.Length == 0)
                {
                    continue;
                }

                var doomed = kind == BackplaneMessageKind.Clear ? keys : await MatchingAsync(database, keys, pattern).ConfigureAwait(false);
                removed += await UnlinkAsync(connection, database, server.ServerType, doomed).ConfigureAwait(false);
            }
            while (cursor != "0");
        }

        await Publish(connection, kind, pattern).ConfigureAwait(false);
        return removed;
    }

    private void RunScan(string operation, IConnectionMultiplexer connection, BackplaneMessageKind kind, string pattern)
    {
        try
        {
            RemoveMatchingAsync(connection, kind, pattern).GetAwaiter().GetResult();
            _breaker!.RecordSuccess();
        }
        catch (Exception exception)
        {
            Failed(operation, exception);
        }
    }

    private static async Task<RedisKey[]> MatchingAsync(IDatabase database, RedisKey[] keys, string pattern)
    {
        const long ProbeEnd = EntryCodec.HeaderSize + EntryCodec.KeyProbeBytes - 1;
        var heads = new Task<RedisValue>[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            heads[i] = database.StringGetRangeAsync(keys[i], 0, ProbeEnd);
        }

        await Task.WhenAll(heads).ConfigureAwait(false);
        var matches = new List<RedisKey>();
        List<(RedisKey Key, Task<RedisValue> Read)>? longKeys = null;
        for (var i = 0; i < keys.Length; i++)
        {
            var head = ((ReadOnlyMemory<byte>)heads[i].Result).Span;
            if (!EntryCodec.TryReadHeader(head, out _, out var keyLength))
            {
                // Gone since the scan, or not ours: nothing to match.
                continue;
            }

            if (EntryCodec.HeaderSize + keyLength <= head.Length)
            {
                if (Contains(head.Slice(EntryCodec.HeaderSize, keyLength), pattern))
                {
                    matches.Add(keys[i]);
                }
            }
            else
            {
                (longKeys ??= []).Add((keys[i], database.StringGetRangeAsync(keys[i], EntryCodec.HeaderSize, EntryCodec.HeaderSize + keyLength - 1)));
            }
        }

        if (longKeys is not null)
        {
            await Task.WhenAll(longKeys.Select(k => k.Read)).ConfigureAwait(false);
            matches.AddRange(longKeys.Where(k => Contains(((ReadOnlyMemory<byte>)k.Read.Result).Span, pattern)).Select(k => k.Key));
        }

        return [.. matches];
    }

    private static bool Contains(ReadOnlySpan<byte> utf8Key, string pattern) =>
        System.Text.Encoding.UTF8.GetString(utf8Key).Contains(pattern, StringComparison.Ordinal);

    private static async Task<long> UnlinkAsync(IConnectionMultiplexer connection, IDatabase database, ServerType serverType, RedisKey[] keys)
    {
        if (keys.Length == 0)
        {
            return 0;
        }

        if (serverType != ServerType.Cluster)
        {
            // UNLINK where the server has it (Redis 4+, Garnet), DEL otherwise.
            return await database.KeyDeleteAsync(keys).ConfigureAwait(false);
        }

        // A cluster refuses a multi-key command across slots: one UNLINK per slot.
        var unlinks = keys.GroupBy(connection.HashSlot).Select(slot => database.KeyDeleteAsync([.. slot])).ToArray();
        var results = await Task.WhenAll(unlinks).ConfigureAwait(false);
        return results.Sum();
    }
}
