using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>Two OS processes sharing Microsoft Garnet embedded in the test process.</summary>
public sealed class GarnetMultiProcessBackplaneTests(GarnetFixture fixture) : RedisMultiProcessBackplaneTests(fixture.Server), IClassFixture<GarnetFixture>;
