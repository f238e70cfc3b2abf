using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>Outages of Microsoft Garnet embedded in the test process.</summary>
public sealed class GarnetRestartTests() : RedisRestartTests(new GarnetTestServer(start: false));
