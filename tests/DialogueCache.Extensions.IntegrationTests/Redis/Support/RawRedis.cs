using StackExchange.Redis;

namespace Dialogue.Caching.IntegrationTests.Redis.Support;

/// <summary>A plain client, to look at what the store wrote (keys, TTLs, raw bytes) as an operator would.</summary>
public sealed class RawRedis : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;

    private RawRedis(ConnectionMultiplexer connection)
    {
        _connection = connection;
        Database = connection.GetDatabase();
    }

    /// <summary>The database.</summary>
    public IDatabase Database { get; }

    /// <summary>Connects.</summary>
    public static async Task<RawRedis> ConnectAsync(string configuration) =>
        new(await ConnectionMultiplexer.ConnectAsync(configuration + ",allowAdmin=true"));

    /// <summary>Every key that starts with <paramref name="prefix"/> (SCAN).</summary>
    public async Task<List<string>> KeysAsync(string prefix)
    {
        var keys = new List<string>();
        var server = _connection.GetServers()[0];
        await foreach (var key in server.KeysAsync(pattern: prefix + "*", pageSize: 1000))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }

    /// <summary>Runs a command (for example <c>ACL SETUSER</c>) and returns its reply.</summary>
    public Task<RedisResult> ExecuteAsync(string command, params object[] arguments) => Database.ExecuteAsync(command, arguments);

    /// <summary>Publishes raw bytes on a channel.</summary>
    public Task PublishAsync(string channel, byte[] message) =>
        _connection.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), message);

    /// <summary>Subscribes to a channel; every message's bytes go to the returned queue.</summary>
    public async Task<System.Collections.Concurrent.ConcurrentQueue<byte[]>> SubscribeAsync(string channel)
    {
        var messages = new System.Collections.Concurrent.ConcurrentQueue<byte[]>();
        await _connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel), (_, value) => messages.Enqueue((byte[])value!));
        return messages;
    }

    /// <summary>Lines of <c>INFO commandstats</c>, or null when the server has no such section.</summary>
    public async Task<Dictionary<string, long>?> CommandCallsAsync()
    {
        var info = await _connection.GetServers()[0].InfoRawAsync("commandstats");
        var calls = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in (info ?? string.Empty).Split('\n', StringSplitOptions.TrimEntries))
        {
            // cmdstat_scan:calls=3,usec=...
            if (line.StartsWith("cmdstat_", StringComparison.Ordinal) && line.IndexOf(":calls=", StringComparison.Ordinal) is var at and > 0)
            {
                var rest = line[(at + 7)..];
                var end = rest.IndexOf(',', StringComparison.Ordinal);
                calls[line[8..at]] = long.Parse(end < 0 ? rest : rest[..end], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return calls.Count == 0 ? null : calls;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
