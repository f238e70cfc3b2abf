namespace Dialogue.Caching.IntegrationTests.Redis.Support;

/// <summary>A Redis-protocol server the tests talk to: Garnet in this process, or the redis-server CI starts.</summary>
public interface IRedisTestServer
{
    /// <summary>What the server is, for messages.</summary>
    string Kind { get; }

    /// <summary>The loopback port it listens on.</summary>
    int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for it (no options beyond the endpoint and credentials).</summary>
    string Configuration { get; }

    /// <summary>Why the tests against it are skipped, or null when it is there.</summary>
    string? SkipReason { get; }
}
