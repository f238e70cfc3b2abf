using System.Net;
using System.Text;
using Dialogue.Caching;
using WebSample.Tests.Support;

namespace WebSample.Tests;

public sealed class AdminAuthTests
{
    public static TheoryData<string, string> AdminEndpoints() => new()
    {
        { "GET", "cache/stats" },
        { "DELETE", "cache/entries/npc%3Aguard%7Cgate%7Ct%3Ahello" },
        { "DELETE", "cache/entries?pattern=npc:guard" },
        { "DELETE", "cache" },
        { "POST", "cache/prewarm" },
        { "GET", "cache/export" },
    };

    [Theory]
    [MemberData(nameof(AdminEndpoints))]
    public async Task AdminEndpoint_NoKeyConfigured_403Disabled(string method, string path)
    {
        using var app = new SampleApp(new Dictionary<string, string?> { ["WebSample:Admin:ApiKey"] = "" });
        using var client = app.Admin("any-key-at-all-0123456789");

        using var response = await client.SendAsync(Request(method, path));

        await Problem.AssertAsync(response, HttpStatusCode.Forbidden, "admin API is disabled", "WebSample:Admin:ApiKey");
    }

    [Theory]
    [MemberData(nameof(AdminEndpoints))]
    public async Task AdminEndpoint_NoHeader_401(string method, string path)
    {
        using var app = new SampleApp();
        using var client = app.Admin(key: null);

        using var response = await client.SendAsync(Request(method, path));

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "X-Api-Key header");
        Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AdminEndpoints))]
    public async Task AdminEndpoint_WrongKey_401(string method, string path)
    {
        using var app = new SampleApp();
        using var client = app.Admin(SampleApp.AdminKey + "x");

        using var response = await client.SendAsync(Request(method, path));

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "does not match");
    }

    [Theory]
    [MemberData(nameof(AdminEndpoints))]
    public async Task AdminEndpoint_RightKey_NotRejected(string method, string path)
    {
        using var app = new SampleApp();
        using var client = app.Admin();

        using var response = await client.SendAsync(Request(method, path));

        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True((int)response.StatusCode < 500, $"{method} {path}: {(int)response.StatusCode}");
    }

    [Fact]
    public async Task Clear_WrongKey_LeavesEntries()
    {
        using var app = new SampleApp();
        var before = app.Get<IDialogueCache>().Analytics().CurrentSize;
        using var client = app.Admin("not-the-key-0123456789");

        using var response = await client.DeleteAsync("cache");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(before > 0);
        Assert.Equal(before, app.Get<IDialogueCache>().Analytics().CurrentSize);
    }

    [Fact]
    public async Task AdminKey_TwoHeaders_401()
    {
        using var app = new SampleApp();
        using var client = app.Admin(key: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "cache/stats");
        request.Headers.TryAddWithoutValidation("X-Api-Key", [SampleApp.AdminKey, "other"]);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_NeedsNoKey()
    {
        using var app = new SampleApp(new Dictionary<string, string?> { ["WebSample:Admin:ApiKey"] = "" });

        using var response = await app.Http.GetAsync("dashboard/stats");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method == "POST" ? new StringContent("{}", Encoding.UTF8, "application/json") : null,
    };
}
