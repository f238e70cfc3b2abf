using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Dialogue.Caching.IntegrationTests.Redis.Support;

/// <summary>
/// A loopback TCP proxy in front of a server, to play network faults against any server (Garnet or the shared
/// redis-server, which the tests must not stop): <see cref="Freeze"/> holds every byte (a hung server: calls
/// time out), <see cref="Sever"/> breaks every connection, <see cref="Block"/> refuses new ones (a server that
/// is down), <see cref="Thaw"/> and <see cref="Unblock"/> undo them.
/// </summary>
/// <remarks>
/// Bytes are pumped by dedicated threads, not the thread pool: the code under test blocks request threads on
/// synchronous reads, and a proxy starved of pool threads would play a fault nobody asked for.
/// </remarks>
public sealed class TcpFaultProxy : IDisposable, IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly ConcurrentDictionary<int, (Socket Client, Socket Upstream)> _links = new();
    private readonly ManualResetEventSlim _thawed = new(initialState: true);
    private readonly Thread _acceptThread;
    private volatile bool _blocked;
    private volatile bool _stopping;
    private int _nextLink;

    /// <summary>Listens on a free loopback port and forwards to <paramref name="upstreamPort"/>.</summary>
    public TcpFaultProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptThread = new Thread(Accept) { IsBackground = true, Name = "TcpFaultProxy accept" };
        _acceptThread.Start();
    }

    /// <summary>The proxy's port.</summary>
    public int Port { get; }

    /// <summary>How many connections pass through now.</summary>
    public int Connections => _links.Count;

    /// <summary>Stops forwarding in both directions; connections stay open.</summary>
    public void Freeze() => _thawed.Reset();

    /// <summary>Forwards again what was held and what comes.</summary>
    public void Thaw() => _thawed.Set();

    /// <summary>Closes every connection now.</summary>
    public void Sever()
    {
        foreach (var id in _links.Keys)
        {
            Close(id);
        }
    }

    /// <summary>Closes every new connection at once, as a stopped server's port would.</summary>
    public void Block() => _blocked = true;

    /// <summary>Lets new connections through again.</summary>
    public void Unblock() => _blocked = false;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _listener.Stop();
        Thaw();
        Sever();
        _acceptThread.Join(TimeSpan.FromSeconds(5));
        _thawed.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Accept()
    {
        while (!_stopping)
        {
            Socket client;
            try
            {
                client = _listener.AcceptSocket();
            }
            catch (Exception) when (_stopping)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            if (_blocked)
            {
                client.Dispose();
                continue;
            }

            var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                upstream.Connect(IPAddress.Loopback, _upstreamPort);
            }
            catch (SocketException)
            {
                upstream.Dispose();
                client.Dispose();
                continue;
            }

            client.NoDelay = true;
            var id = Interlocked.Increment(ref _nextLink);
            _links[id] = (client, upstream);
            StartPump(id, client, upstream);
            StartPump(id, upstream, client);
        }
    }

    private void StartPump(int id, Socket from, Socket to) =>
        new Thread(() => Pump(id, from, to)) { IsBackground = true, Name = $"TcpFaultProxy link {id}" }.Start();

    private void Pump(int id, Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = from.Receive(buffer);
                if (read == 0)
                {
                    break;
                }

                _thawed.Wait();
                var sent = 0;
                while (sent < read)
                {
                    sent += to.Send(buffer, sent, read - sent, SocketFlags.None);
                }
            }
        }
        catch (Exception)
        {
            // A closed link or a stopping proxy: close both sides below.
        }

        Close(id);
    }

    private void Close(int id)
    {
        if (_links.TryRemove(id, out var link))
        {
            link.Client.Dispose();
            link.Upstream.Dispose();
        }
    }
}
