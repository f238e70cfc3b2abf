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
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<int, (TcpClient Client, TcpClient Upstream)> _links = new();
    private readonly Task _acceptLoop;
    private TaskCompletionSource _thawed = NewThawed();
    private volatile bool _frozen;
    private volatile bool _blocked;
    private int _nextLink;

    /// <summary>Listens on a free loopback port and forwards to <paramref name="upstreamPort"/>.</summary>
    public TcpFaultProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    /// <summary>The proxy's port.</summary>
    public int Port { get; }

    /// <summary>How many connections pass through now.</summary>
    public int Connections => _links.Count;

    /// <summary>Stops forwarding in both directions; connections stay open.</summary>
    public void Freeze()
    {
        _thawed = NewThawed();
        _frozen = true;
    }

    /// <summary>Forwards again what was held and what comes.</summary>
    public void Thaw()
    {
        _frozen = false;
        _thawed.TrySetResult();
    }

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
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Thaw();
        Sever();
        await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private static TaskCompletionSource NewThawed() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }

            if (_blocked)
            {
                client.Dispose();
                continue;
            }

            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stopping.Token);
            }
            catch (Exception)
            {
                upstream.Dispose();
                client.Dispose();
                continue;
            }

            var id = Interlocked.Increment(ref _nextLink);
            _links[id] = (client, upstream);
            _ = PumpAsync(id, client.GetStream(), upstream.GetStream());
            _ = PumpAsync(id, upstream.GetStream(), client.GetStream());
        }
    }

    private async Task PumpAsync(int id, NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stopping.Token);
                if (read == 0)
                {
                    break;
                }

                while (_frozen)
                {
                    await _thawed.Task.WaitAsync(_stopping.Token);
                }

                await to.WriteAsync(buffer.AsMemory(0, read), _stopping.Token);
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
