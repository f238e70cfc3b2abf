using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>Two OS processes sharing the redis-server named by <c>DIALOGUECACHE_REDIS</c> (skipped without it).</summary>
public sealed class RedisServerMultiProcessBackplaneTests(ExternalRedisFixture fixture) : RedisMultiProcessBackplaneTests(fixture.Server), IClassFixture<ExternalRedisFixture>;
