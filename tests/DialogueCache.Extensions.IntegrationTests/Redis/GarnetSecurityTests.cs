using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>Credentials against Microsoft Garnet started with password authentication.</summary>
public sealed class GarnetSecurityTests() : RedisSecurityTests(new GarnetTestServer(password: Password));
