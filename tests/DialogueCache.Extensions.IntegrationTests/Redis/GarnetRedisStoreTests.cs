using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>The Redis tier against Microsoft Garnet embedded in the test process.</summary>
public sealed class GarnetRedisStoreTests(GarnetFixture fixture) : RedisStoreTests(fixture.Server), IClassFixture<GarnetFixture>;
