using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace WebSample.Tests.Support;

/// <summary>
/// The sample in this process, on Kestrel at 127.0.0.1 on a free port (real HTTP, not the test server), with its
/// SQLite file in a fresh temp folder, the simulated model at zero latency and an admin key.
/// </summary>
internal sealed class SampleApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";

    private readonly Dictionary<string, string?> _settings;
    private readonly TempFolder _folder = new();
    private HttpClient? _client;

    public SampleApp(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:DialogueCache"] = $"Data Source={_folder.File("cache.db")}",
            ["WebSample:Model:Simulated:Latency"] = "00:00:00",
            ["WebSample:Admin:ApiKey"] = AdminKey,
            ["WebSample:Dashboard:SampleInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The temp folder of this instance (its SQLite file is <c>cache.db</c> there).</summary>
    public string Folder => _folder.Path;

    /// <summary>Where Kestrel listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return new Uri(address + "/");
        }
    }

    /// <summary>A client of the real server, without the admin key.</summary>
    public HttpClient Http => _client ??= new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A new client that sends <paramref name="key"/> as X-Api-Key (the right one by default).</summary>
    public HttpClient Admin(string? key = AdminKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    /// <summary>A service of the running app.</summary>
    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _client?.Dispose();
        }

        base.Dispose(disposing);
        if (disposing)
        {
            _folder.Dispose();
        }
    }
}
