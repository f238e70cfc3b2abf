using System.Globalization;
using Garnet;

namespace Dialogue.Caching.IntegrationTests.Redis.Support;

/// <summary>
/// Microsoft Garnet, a Redis-protocol server, embedded in the test process on a free loopback port: no setup,
/// and it can be stopped and started again on the same port to play a Redis outage.
/// </summary>
public sealed class GarnetTestServer : IRestartableRedisTestServer
{
    private readonly Lock _sync = new();
    private readonly string? _password;
    private GarnetServer? _server;

    // The embedded server serves its sockets from this process's thread pool, which the tests also block.
    static GarnetTestServer() => TestThreadPool.EnsureHeadroom();

    /// <summary>Starts a server.</summary>
    /// <param name="password">Require this password (Garnet's password authentication), or none.</param>
    /// <param name="start">False to only reserve the port (start it later with <see cref="Start"/>).</param>
    public GarnetTestServer(string? password = null, bool start = true)
    {
        _password = password;
        Port = FreePort.Next();
        if (start)
        {
            Start();
        }
    }

    /// <inheritdoc />
    public string Kind => "Garnet";

    /// <inheritdoc />
    public int Port { get; }

    /// <inheritdoc />
    public string Configuration => _password is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},password={_password}";

    /// <inheritdoc />
    public string? SkipReason => null;

    /// <inheritdoc />
    public bool IsRunning
    {
        get
        {
            lock (_sync)
            {
                return _server is not null;
            }
        }
    }

    /// <inheritdoc />
    public void Start()
    {
        lock (_sync)
        {
            if (_server is not null)
            {
                return;
            }

            List<string> args =
            [
                "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--memory", "64m", "--index", "4m", "--no-obj", "-q", "--logger-level", "Error",
            ];
            if (_password is not null)
            {
                args.AddRange(["--auth", "Password", "--password", _password]);
            }

            var server = new GarnetServer([.. args]);
            server.Start();
            _server = server;
        }
    }

    /// <inheritdoc />
    public void Shutdown()
    {
        lock (_sync)
        {
            _server?.Dispose();
            _server = null;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Shutdown();
}
