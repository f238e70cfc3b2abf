using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>
/// Credentials reach the server: a server of the test's own started with password authentication, Garnet in this
/// process (<see cref="GarnetSecurityTests"/>) or a redis-server child process with <c>requirepass</c>
/// (<see cref="RedisServerSecurityTests"/>; the shared redis-server of CI gets no password).
/// </summary>
public abstract class RedisSecurityTests : IDisposable
{
    protected const string Password = "s3cret-for-tests";
    private readonly IRestartableRedisTestServer _server;
    private readonly string _prefix = $"dct{Guid.NewGuid():N}:";

    /// <param name="server">A running server of this test's own that requires <see cref="Password"/>.</param>
    protected RedisSecurityTests(IRestartableRedisTestServer server)
    {
        _server = server;
    }

    public void Dispose()
    {
        _server.Dispose();
        GC.SuppressFinalize(this);
    }

    [SkippableFact]
    public async Task Password_InConfigurationString_IsUsed()
    {
        Skip.If(_server.SkipReason is not null, _server.SkipReason);
        await using var a = await RedisTestNode.StartAsync(_server.Configuration, _prefix);
        await using var b = await RedisTestNode.StartAsync(_server.Configuration, _prefix);

        a.Cache.Set("k", "v");
        await a.FlushAsync();

        Assert.Equal(("v", true), b.Read("k"));
        Assert.Empty(a.StoreErrors);
    }

    [SkippableFact]
    public async Task Password_SetByConfigureConnection_IsUsed()
    {
        Skip.If(_server.SkipReason is not null, _server.SkipReason);
        var bare = $"127.0.0.1:{_server.Port}";
        await using var a = await RedisTestNode.StartAsync(_server.Configuration, _prefix);
        await using var b = await RedisTestNode.StartAsync(bare, _prefix, o => o.ConfigureConnection = c =>
        {
            RedisTestNode.FastReconnect(c);
            c.Password = Password;
        });

        a.Cache.Set("k", "v");
        await a.FlushAsync();

        Assert.Equal(("v", true), b.Read("k"));
    }

    [SkippableFact]
    public async Task Password_Wrong_CallsDoNotThrowAndErrorsAreCountedWithoutThePassword()
    {
        Skip.If(_server.SkipReason is not null, _server.SkipReason);
        await using var node = await RedisTestNode.StartAsync($"127.0.0.1:{_server.Port},password=wrong-one", _prefix);

        node.Cache.Set("k", "v");
        Assert.Equal("v", node.Cache.Get("k"));
        Assert.Null(node.Cache.Get("other"));
        await node.FlushAsync();

        Assert.NotEmpty(node.StoreErrors);
        Assert.All(node.Logs.GetSnapshot(), r => Assert.DoesNotContain("wrong-one", r.Message + r.Exception, StringComparison.Ordinal));
    }
}
