using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>Network faults in front of Microsoft Garnet.</summary>
public sealed class GarnetRedisFaultTests(GarnetFixture fixture) : RedisFaultTests(fixture.Server), IClassFixture<GarnetFixture>;
