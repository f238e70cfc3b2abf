using System.Net;
using Dialogue.Caching.Redis;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using StackExchange.Redis;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>
/// What the store does on the client's connection events, which no real server can raise on cue: the connection is a
/// substitute given through <see cref="RedisStoreOptions.ConnectionMultiplexerFactory"/> (the seam for a connection
/// the application owns). A connection that comes back after a loss drops the memory copies (they may have missed
/// invalidations); a subscription connection that merely comes up late, with the subscription in place, does not.
/// </summary>
public sealed class ConnectionEventsTests
{
    private static readonly EndPoint Server = new IPEndPoint(IPAddress.Loopback, 6379);
    private readonly IConnectionMultiplexer _connection = Substitute.For<IConnectionMultiplexer>();
    private readonly ISubscriber _subscriber = Substitute.For<ISubscriber>();

    public ConnectionEventsTests()
    {
        _connection.GetSubscriber(Arg.Any<object?>()).Returns(_subscriber);
        _connection.GetEndPoints(Arg.Any<bool>()).Returns([Server]);
        _connection.IsConnected.Returns(true);
        _subscriber.SubscribeAsync(Arg.Any<RedisChannel>(), Arg.Any<Action<RedisChannel, RedisValue>>(), Arg.Any<CommandFlags>()).Returns(Task.CompletedTask);
        _subscriber.SubscribedEndpoint(Arg.Any<RedisChannel>()).Returns(Server);
    }

    [Fact]
    public async Task SubscriptionConnectionRestored_WithoutALoss_KeepsMemoryCopies()
    {
        var (store, cache) = await StartAsync();
        using (cache)
        await using (store)
        {
            Signal(restored: true, ConnectionType.Subscription);

            Assert.Equal(1, cache.Count);
            await _subscriber.Received(1).SubscribeAsync(Arg.Any<RedisChannel>(), Arg.Any<Action<RedisChannel, RedisValue>>(), Arg.Any<CommandFlags>());
        }
    }

    [Theory]
    [InlineData(ConnectionType.Subscription)]
    [InlineData(ConnectionType.Interactive)]
    public async Task ConnectionRestored_AfterALoss_DropsMemoryCopies(ConnectionType type)
    {
        var (store, cache) = await StartAsync();
        using (cache)
        await using (store)
        {
            Signal(restored: false, type);
            Assert.Equal(1, cache.Count);

            Signal(restored: true, type);

            Assert.Equal(0, cache.Count);
        }
    }

    private async Task<(RedisDialogueCacheStore Store, DialogueCache Cache)> StartAsync()
    {
        var store = new RedisDialogueCacheStore(new RedisStoreOptions { ConnectionMultiplexerFactory = () => Task.FromResult(_connection) });
        var time = new FakeTimeProvider();
        var cache = new DialogueCache(new DialogueCacheOptions(), store, time);
        await store.StartAsync(CancellationToken.None);
        Assert.True(store.IsSubscribed);
        ((IDialogueCacheStoreHost)cache).Load([new DialogueCacheStoreEntry("k", "v", time.GetUtcNow().AddMinutes(5))]);
        Assert.Equal(1, cache.Count);
        return (store, cache);
    }

    private void Signal(bool restored, ConnectionType type)
    {
        var args = new ConnectionFailedEventArgs(_connection, Server, type, ConnectionFailureType.SocketFailure, new IOException("test"), "test");
        if (restored)
        {
            _connection.ConnectionRestored += NSubstitute.Raise.EventWith(_connection, args);
        }
        else
        {
            _connection.ConnectionFailed += NSubstitute.Raise.EventWith(_connection, args);
        }
    }
}
