namespace Dialogue.Caching.IntegrationTests.Redis.Support;

/// <summary>One Garnet server for the tests of a class.</summary>
public sealed class GarnetFixture : IDisposable
{
    /// <summary>The server.</summary>
    public GarnetTestServer Server { get; } = new();

    /// <inheritdoc />
    public void Dispose() => Server.Dispose();
}

/// <summary>The shared redis-server named by <c>DIALOGUECACHE_REDIS</c>, if any.</summary>
public sealed class ExternalRedisFixture
{
    /// <summary>The server (its <see cref="IRedisTestServer.SkipReason"/> says when there is none).</summary>
    public ExternalRedisServer Server { get; } = new();
}
