using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>The Redis tier against the redis-server named by <c>DIALOGUECACHE_REDIS</c> (skipped without it).</summary>
public sealed class RedisServerRedisStoreTests(ExternalRedisFixture fixture) : RedisStoreTests(fixture.Server), IClassFixture<ExternalRedisFixture>;
