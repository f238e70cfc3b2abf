using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>Network faults in front of the redis-server named by <c>DIALOGUECACHE_REDIS</c> (skipped without it).</summary>
public sealed class RedisServerRedisFaultTests(ExternalRedisFixture fixture) : RedisFaultTests(fixture.Server), IClassFixture<ExternalRedisFixture>;
