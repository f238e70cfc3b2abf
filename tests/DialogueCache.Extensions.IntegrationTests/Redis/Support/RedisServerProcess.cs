using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dialogue.Caching.IntegrationTests.Redis.Support;

/// <summary>
/// A redis-server of the test's own: a child process of the test run on a free loopback port, without
/// persistence, so it can be stopped and started again (an outage) or given a password, which the shared
/// redis-server of <c>DIALOGUECACHE_REDIS</c> must never get. It runs the <c>redis-server</c> found on the PATH,
/// and only when <c>DIALOGUECACHE_REDIS</c> is set (the machine has a redis-server to test against: <c>.ci/run</c>
/// installs Debian's); otherwise the tests using it are skipped.
/// </summary>
public sealed class RedisServerProcess : IRestartableRedisTestServer
{
    private static readonly TimeSpan ReadyLimit = TimeSpan.FromSeconds(30);
    private readonly Lock _sync = new();
    private readonly string? _password;
    private readonly string? _executable;
    private Process? _process;

    /// <summary>Prepares a server on a free port.</summary>
    /// <param name="password">Require this password (<c>requirepass</c>), or none.</param>
    /// <param name="start">False to only reserve the port (start it later with <see cref="Start"/>).</param>
    public RedisServerProcess(string? password = null, bool start = true)
    {
        TestThreadPool.EnsureHeadroom();
        _password = password;
        Port = FreePort.Next();
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ExternalRedisServer.Variable)))
        {
            SkipReason = $"{ExternalRedisServer.Variable} is not set: no redis-server to test against (.ci/run installs one and sets it).";
        }
        else if (Find("redis-server") is { } executable)
        {
            _executable = executable;
        }
        else
        {
            SkipReason = $"{ExternalRedisServer.Variable} is set but no redis-server is on the PATH to start one of the test's own.";
        }

        if (start)
        {
            Start();
        }
    }

    /// <inheritdoc />
    public string Kind => "redis-server (own process)";

    /// <inheritdoc />
    public int Port { get; }

    /// <inheritdoc />
    public string Configuration => _password is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},password={_password}";

    /// <inheritdoc />
    public string? SkipReason { get; }

    /// <inheritdoc />
    public bool IsRunning
    {
        get
        {
            lock (_sync)
            {
                return _process is { HasExited: false };
            }
        }
    }

    /// <inheritdoc />
    public void Start()
    {
        if (_executable is null)
        {
            return;
        }

        lock (_sync)
        {
            if (_process is { HasExited: false })
            {
                return;
            }

            var start = new ProcessStartInfo(_executable)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in (string[])["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                         "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"])
            {
                start.ArgumentList.Add(argument);
            }

            if (_password is not null)
            {
                start.ArgumentList.Add("--requirepass");
                start.ArgumentList.Add(_password);
            }

            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _process = process;
            WaitUntilAnswering(process);
        }
    }

    /// <inheritdoc />
    public void Shutdown()
    {
        lock (_sync)
        {
            if (_process is not { } process)
            {
                return;
            }

            _process = null;
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.WaitForExit(TimeSpan.FromSeconds(30));
            process.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose() => Shutdown();

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind} on port {Port}");

    private static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Append("/usr/sbin")
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    // Ready when it answers PING (+PONG, or -NOAUTH with a password): bounded, polled, no fixed sleep.
    private void WaitUntilAnswering(Process process)
    {
        var waited = Stopwatch.StartNew();
        var buffer = new byte[64];
        while (true)
        {
            Assert.False(process.HasExited, $"redis-server exited at start with code {(process.HasExited ? process.ExitCode : 0)}");
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Connect(IPAddress.Loopback, Port);
                socket.Send("PING\r\n"u8);
                var read = socket.Receive(buffer);
                var reply = Encoding.ASCII.GetString(buffer, 0, read);
                if (reply.StartsWith("+PONG", StringComparison.Ordinal) || reply.StartsWith("-NOAUTH", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException)
            {
                // Not listening yet.
            }

            Assert.True(waited.Elapsed < ReadyLimit, $"redis-server did not answer on port {Port} within {ReadyLimit}");
            Thread.Sleep(10);
        }
    }
}
