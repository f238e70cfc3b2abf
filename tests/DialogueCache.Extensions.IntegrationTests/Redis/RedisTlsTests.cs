using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Dialogue.Caching.IntegrationTests.Redis.Support;
using Dialogue.Caching.Redis;
using StackExchange.Redis;

namespace Dialogue.Caching.IntegrationTests.Redis;

/// <summary>
/// TLS settings reach StackExchange.Redis unchanged by the store's own adjustments: from the configuration string
/// (<c>ssl</c>, <c>sslHost</c>, <c>sslProtocols</c>) and from <see cref="RedisStoreOptions.ConfigureConnection"/>
/// (certificate validation). Checked where the store hands them over, and end to end through a TLS endpoint in
/// front of Garnet (<see cref="TlsTerminatingProxy"/>), since neither Garnet here nor CI's redis-server has TLS set up.
/// </summary>
public sealed class RedisTlsTests(GarnetFixture fixture) : IClassFixture<GarnetFixture>
{
    private const string ServerName = "cache.dialogue.test";
    private readonly string _prefix = $"dct{Guid.NewGuid():N}:";

    [Fact]
    public async Task ConfigureConnection_TlsFromTheConfigurationString_ReachesTheConnectionBesideTheStoresOwnSettings()
    {
        var handedOver = new TaskCompletionSource<ConfigurationOptions>(TaskCreationOptions.RunContinuationsAsynchronously);
        RemoteCertificateValidationCallback validation = (_, _, _, _) => false;
        var options = new RedisStoreOptions
        {
            Configuration = $"127.0.0.1:{FreePort.Next()},ssl=true,sslHost={ServerName},sslProtocols=Tls12|Tls13,connectTimeout=500",
            OperationTimeout = TimeSpan.FromMilliseconds(250),
            KeyPrefix = _prefix,
            ConfigureConnection = c =>
            {
                c.CertificateValidation += validation;
                handedOver.TrySetResult(c);
            },
        };
        await using var store = new RedisDialogueCacheStore(options);
        using var cache = new DialogueCache(new DialogueCacheOptions(), store); // attaching starts the connection

        var seen = await handedOver.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.AssertAsync(() => store.Connection is not null, "the connection object exists (nobody listens: it keeps retrying)");

        Assert.True(seen.Ssl);
        Assert.Equal(ServerName, seen.SslHost);
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, seen.SslProtocols);
        Assert.False(seen.AbortOnConnectFail);
        Assert.Equal(250, seen.SyncTimeout);
        Assert.Equal(250, seen.AsyncTimeout);
        var used = store.Connection!.Configuration;
        Assert.Contains("ssl=True", used, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"sslHost={ServerName}", used, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_CertificateAcceptedByConfigureConnection_StoreWorksOverTlsWithTheServerNameAsked()
    {
        await using var tls = new TlsTerminatingProxy(fixture.Server.Port, ServerName);
        var validations = 0;
        await using var overTls = await RedisTestNode.StartAsync($"127.0.0.1:{tls.Port},ssl=true,sslHost={ServerName}", _prefix, o =>
            o.ConfigureConnection = c =>
            {
                RedisTestNode.FastReconnect(c);
                // The test's own certificate is trusted by nobody: accept exactly it, as an application pinning its
                // server's certificate would.
                c.CertificateValidation += (_, certificate, _, _) =>
                {
                    Interlocked.Increment(ref validations);
                    return certificate is not null && X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()).Thumbprint == tls.Certificate.Thumbprint;
                };
            });
        await using var plain = await RedisTestNode.StartAsync(fixture.Server.Configuration, _prefix);

        overTls.Cache.Set("npc:smith|forge|t:hello", "Welcome.");
        await overTls.FlushAsync();

        Assert.Equal(("Welcome.", true), plain.Read("npc:smith|forge|t:hello"));
        plain.Cache.Set("npc:smith|forge|t:hello", "Welcome back.");
        await Eventually.AssertAsync(() => overTls.Cache.Get("npc:smith|forge|t:hello") == "Welcome back.", "the backplane reaches the node over TLS");
        Assert.Empty(overTls.StoreErrors);
        Assert.True(Volatile.Read(ref validations) > 0, "the validation callback of ConfigureConnection ran in the handshake");
        Assert.True(tls.Sessions > 0);
        Assert.All(tls.ServerNames, name => Assert.Equal(ServerName, name));
    }

    [Fact]
    public async Task Tls_UntrustedCertificate_CallsDoNotThrowAndErrorsAreCounted()
    {
        await using var tls = new TlsTerminatingProxy(fixture.Server.Port, ServerName);
        await using var node = await RedisTestNode.StartAsync($"127.0.0.1:{tls.Port},ssl=true,sslHost={ServerName}", _prefix,
            o => o.OperationTimeout = TimeSpan.FromMilliseconds(300));

        node.Cache.Set("k", "v");
        Assert.Equal("v", node.Cache.Get("k"));
        Assert.Null(node.Cache.Get("absent"));
        await node.FlushAsync();

        // The proxy may finish its side of the handshake before the client refuses the certificate: what counts is
        // that nothing reached Redis through it.
        Assert.NotEmpty(node.StoreErrors);
        Assert.NotEmpty(tls.ServerNames);
        await using var plain = await RedisTestNode.StartAsync(fixture.Server.Configuration, _prefix);
        Assert.Null(plain.Cache.Get("k"));
    }
}
