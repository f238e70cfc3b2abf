using Microsoft.Playwright;

namespace WebSample.Tests.Support;

/// <summary>A running Chromium: its context and the profile folder it owns.</summary>
internal sealed class BrowserSession(IPlaywright playwright, IBrowserContext context, TempFolder profile) : IAsyncDisposable
{
    public IBrowserContext Context => context;

    public async ValueTask DisposeAsync()
    {
        await context.CloseAsync();
        playwright.Dispose();
        profile.Dispose();
    }
}
