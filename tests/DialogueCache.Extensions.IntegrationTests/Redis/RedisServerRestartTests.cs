using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>Outages of a redis-server child process of the test's own (skipped without <c>DIALOGUECACHE_REDIS</c>).</summary>
public sealed class RedisServerRestartTests() : RedisRestartTests(new RedisServerProcess(start: false));
