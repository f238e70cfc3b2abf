using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>The registered Redis store against Microsoft Garnet embedded in the test process.</summary>
public sealed class GarnetRedisStoreDependencyInjectionTests(GarnetFixture fixture) : RedisStoreDependencyInjectionTests(fixture.Server), IClassFixture<GarnetFixture>;
