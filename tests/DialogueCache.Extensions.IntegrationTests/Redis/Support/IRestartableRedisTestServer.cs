namespace Dialogue.Caching.IntegrationTests.Redis.Support;

/// <summary>
/// A server of the test's own that it may stop and start again on the same port (a real outage), or start with
/// settings the shared server must not get (a password): Garnet in this process, or a redis-server child process.
/// </summary>
public interface IRestartableRedisTestServer : IRedisTestServer, IDisposable
{
    /// <summary>True while the server runs.</summary>
    bool IsRunning { get; }

    /// <summary>Starts the server, empty (nothing is kept across a restart), and returns once it answers.</summary>
    void Start();

    /// <summary>Stops the server: every connection to it breaks and new ones are refused.</summary>
    void Shutdown();
}
