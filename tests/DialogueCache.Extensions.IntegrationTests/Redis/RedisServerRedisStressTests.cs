using Dialogue.Caching.IntegrationTests.Support;
using Dialogue.Caching.IntegrationTests.Redis.Support;
using Xunit.Abstractions;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>The Redis tier under many threads against the redis-server named by <c>DIALOGUECACHE_REDIS</c> (skipped without it).</summary>
[Collection(StressTestGroup.Name)]
public sealed class RedisServerRedisStressTests(ExternalRedisFixture fixture, ITestOutputHelper output) : RedisStressTests(fixture.Server, output), IClassFixture<ExternalRedisFixture>;
