using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Faces;

/// <summary>The chat middleware and the HybridCache face on two nodes sharing the redis-server of <c>DIALOGUECACHE_REDIS</c> (skipped without it).</summary>
public sealed class RedisServerFacesOverRedisTests(ExternalRedisFixture fixture) : FacesOverRedisTests(fixture.Server), IClassFixture<ExternalRedisFixture>;
