using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>Credentials reach the server: Garnet started with password authentication.</summary>
public sealed class GarnetSecurityTests : IDisposable
{
    private const string Password = "s3cret-for-tests";
    private readonly GarnetTestServer _server = new(password: Password);
    private readonly string _prefix = $"dct{Guid.NewGuid():N}:";

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Password_InConfigurationString_IsUsed()
    {
        await using var a = await RedisTestNode.StartAsync(_server.Configuration, _prefix);
        await using var b = await RedisTestNode.StartAsync(_server.Configuration, _prefix);

        a.Cache.Set("k", "v");
        await a.FlushAsync();

        Assert.Equal(("v", true), b.Read("k"));
        Assert.Empty(a.StoreErrors);
    }

    [Fact]
    public async Task Password_SetByConfigureConnection_IsUsed()
    {
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

    [Fact]
    public async Task Password_Wrong_CallsDoNotThrowAndErrorsAreCountedWithoutThePassword()
    {
        await using var node = await RedisTestNode.StartAsync($"127.0.0.1:{_server.Port},password=wrong-one", _prefix);

        node.Cache.Set("k", "v");
        Assert.Equal("v", node.Cache.Get("k"));
        Assert.Null(node.Cache.Get("other"));
        await node.FlushAsync();

        Assert.NotEmpty(node.StoreErrors);
        Assert.All(node.Logs.GetSnapshot(), r => Assert.DoesNotContain("wrong-one", r.Message + r.Exception, StringComparison.Ordinal));
    }
}
