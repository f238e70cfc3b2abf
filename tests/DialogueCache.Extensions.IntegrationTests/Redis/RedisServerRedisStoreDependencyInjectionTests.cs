using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>The registered Redis store against the redis-server named by <c>DIALOGUECACHE_REDIS</c> (skipped without it).</summary>
public sealed class RedisServerRedisStoreDependencyInjectionTests(ExternalRedisFixture fixture) : RedisStoreDependencyInjectionTests(fixture.Server), IClassFixture<ExternalRedisFixture>;
