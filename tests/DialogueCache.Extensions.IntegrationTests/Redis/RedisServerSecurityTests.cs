using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>Credentials against a redis-server child process with <c>requirepass</c> (skipped without <c>DIALOGUECACHE_REDIS</c>).</summary>
public sealed class RedisServerSecurityTests() : RedisSecurityTests(new RedisServerProcess(password: Password));
