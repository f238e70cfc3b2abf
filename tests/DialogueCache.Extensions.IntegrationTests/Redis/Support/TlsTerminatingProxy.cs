using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Dialogue.Caching.IntegrationTests.Redis.Support;

/// <summary>
/// A TLS endpoint in front of a plain server, as a managed Redis with TLS (or stunnel) is: a loopback listener that
/// completes the TLS handshake with a self-signed certificate made for the test, then forwards the decrypted bytes
/// both ways. The client side is real TLS (StackExchange.Redis's own <see cref="SslStream"/>); no Redis server with
/// TLS built in is needed.
/// </summary>
public sealed class TlsTerminatingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<string> _serverNames = new();
    private readonly ConcurrentBag<Task> _links = [];
    private readonly Task _accepting;
    private int _sessions;

    /// <summary>Listens on a free loopback port and forwards to <paramref name="upstreamPort"/>.</summary>
    /// <param name="upstreamPort">The plain server's port.</param>
    /// <param name="subjectName">The DNS name the certificate is issued to.</param>
    public TlsTerminatingProxy(int upstreamPort, string subjectName)
    {
        _upstreamPort = upstreamPort;
        Certificate = CreateCertificate(subjectName);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The proxy's port.</summary>
    public int Port { get; }

    /// <summary>The self-signed certificate the proxy presents (no machine trusts it).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The server names (SNI) clients asked for, one per handshake attempt.</summary>
    public IReadOnlyCollection<string> ServerNames => _serverNames;

    /// <summary>Handshakes that completed (the client accepted the certificate).</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.WhenAll(_links).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Certificate.Dispose();
        _stopping.Dispose();
    }

    private static X509Certificate2 CreateCertificate(string subjectName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subjectName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(subjectName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));

        // Through PKCS#12, so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            _links.Add(Task.Run(() => LinkAsync(client)));
        }
    }

    private async Task LinkAsync(Socket client)
    {
        var token = _stopping.Token;
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await using var clientStream = new NetworkStream(client, ownsSocket: true);
        await using var tls = new SslStream(clientStream, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateSelectionCallback = (_, serverName) =>
                {
                    _serverNames.Enqueue(serverName ?? string.Empty);
                    return Certificate;
                },
            }, token);
            Interlocked.Increment(ref _sessions);
            await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, token);
            await using var upstreamStream = new NetworkStream(upstream, ownsSocket: false);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token);

            // Either side closing ends the link.
            await Task.WhenAny(tls.CopyToAsync(upstreamStream, linked.Token), upstreamStream.CopyToAsync(tls, linked.Token));
            await linked.CancelAsync();
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or AuthenticationException)
        {
            // A client that refused the certificate, a closed connection, or a stopping proxy.
        }
    }
}
