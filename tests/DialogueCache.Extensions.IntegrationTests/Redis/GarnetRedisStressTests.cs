using Dialogue.Caching.IntegrationTests.Support;
using Dialogue.Caching.IntegrationTests.Redis.Support;
using Xunit.Abstractions;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>The Redis tier under many threads against Microsoft Garnet embedded in the test process.</summary>
[Collection(StressTestGroup.Name)]
public sealed class GarnetRedisStressTests(GarnetFixture fixture, ITestOutputHelper output) : RedisStressTests(fixture.Server, output), IClassFixture<GarnetFixture>;
