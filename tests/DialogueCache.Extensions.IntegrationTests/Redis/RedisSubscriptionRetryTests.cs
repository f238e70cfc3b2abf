using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>
/// A subscription can fail while the connection is fine, and then no connection event ever tries it again: the
/// store retries it by itself, and once subscribed drops the memory copies that may have missed invalidations.
/// Played on a redis-server of the test's own whose ACL refuses <c>SUBSCRIBE</c> to the application's user, then
/// allows it (skipped without <c>DIALOGUECACHE_REDIS</c>).
/// </summary>
public sealed class RedisSubscriptionRetryTests : IDisposable
{
    private const string User = "app";
    private const string Password = "app-password-for-tests";
    private readonly RedisServerProcess _server = new();
    private readonly string _prefix = $"dct{Guid.NewGuid():N}:";

    public void Dispose() => _server.Dispose();

    [SkippableFact]
    public async Task Subscribe_RefusedWhileTheConnectionWorks_IsRetriedUntilItSucceeds()
    {
        Skip.If(_server.SkipReason is not null, _server.SkipReason);
        await using var admin = await RawRedis.ConnectAsync(_server.Configuration);
        await admin.ExecuteAsync("ACL", "SETUSER", User, "on", ">" + Password, "~*", "&*", "+@all", "-subscribe", "-psubscribe");
        await using var writer = await RedisTestNode.StartAsync(_server.Configuration, _prefix);
        await using var reader = await RedisTestNode.StartAsync($"127.0.0.1:{_server.Port},user={User},password={Password}", _prefix, o =>
            o.ConfigureConnection = c =>
            {
                RedisTestNode.FastReconnect(c);
                c.ConfigurationChannel = string.Empty; // the client's own SUBSCRIBE would be refused too
            }, awaitBackplane: false);

        // Reads and writes work; only the backplane is missing.
        writer.Cache.Set("k", "v1");
        await writer.FlushAsync();
        Assert.Equal("v1", reader.Cache.Get("k"));
        Assert.False(reader.Store.IsSubscribed);

        await admin.ExecuteAsync("ACL", "SETUSER", User, "+subscribe");

        // Subscribed by a retry, with no connection event to prompt it; messages arrive from then on.
        await Eventually.AssertAsync(() => reader.Store.IsSubscribed, "the reader subscribes");
        var handled = reader.Store.MessagesHandled;
        writer.Cache.Set("k", "v2");
        await Eventually.AssertAsync(() => reader.Store.MessagesHandled > handled, "the backplane reaches the reader");
        Assert.Equal("v2", reader.Cache.Get("k"));
    }
}
