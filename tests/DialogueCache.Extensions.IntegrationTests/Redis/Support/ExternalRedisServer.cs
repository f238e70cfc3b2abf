using System.Globalization;
using StackExchange.Redis;

namespace Dialogue.Caching.IntegrationTests.Redis.Support;

/// <summary>
/// The server named by <c>DIALOGUECACHE_REDIS</c> (host:port; <c>.ci/run</c> starts Debian's redis-server and sets
/// it). Tests against it are skipped when the variable is not set. The tests share it: each one works under a
/// key prefix of its own and never stops it (faults are played by a proxy in front of it).
/// </summary>
public sealed class ExternalRedisServer : IRedisTestServer
{
    /// <summary>The environment variable naming the server.</summary>
    public const string Variable = "DIALOGUECACHE_REDIS";

    /// <summary>Reads the variable.</summary>
    public ExternalRedisServer()
    {
        TestThreadPool.EnsureHeadroom();
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            SkipReason = $"{Variable} is not set: no redis-server to test against (.ci/run starts one and sets it).";
            Configuration = string.Empty;
            return;
        }

        Configuration = value;
        var endPoint = ConfigurationOptions.Parse(value).EndPoints.FirstOrDefault();
        Port = endPoint switch
        {
            System.Net.IPEndPoint ip => ip.Port,
            System.Net.DnsEndPoint dns => dns.Port,
            _ => 6379,
        };
    }

    /// <inheritdoc />
    public string Kind => "redis-server";

    /// <inheritdoc />
    public int Port { get; }

    /// <inheritdoc />
    public string Configuration { get; }

    /// <inheritdoc />
    public string? SkipReason { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind} on {Configuration}");
}
