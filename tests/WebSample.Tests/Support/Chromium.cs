using Microsoft.Playwright;

namespace WebSample.Tests.Support;

/// <summary>
/// Debian's Chromium, driven by Playwright. Playwright never downloads a browser here: it launches the installed one
/// (<c>/usr/bin/chromium</c>, or <c>$DIALOGUECACHE_CHROMIUM</c>) headless, with a fresh profile and without the
/// background networking that this machine's closed network refuses.
/// </summary>
internal static class Chromium
{
    /// <summary>The Debian package that provides the browser.</summary>
    public const string Package = "chromium";

    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("DIALOGUECACHE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Whether a missing browser fails the test instead of skipping it (<c>DIALOGUECACHE_REQUIRE_BROWSER=1</c>, as .ci/run sets).</summary>
    public static bool Required => Environment.GetEnvironmentVariable("DIALOGUECACHE_REQUIRE_BROWSER") == "1";

    /// <summary>Skips the test when there is no browser, or fails it when one is required.</summary>
    public static void RequireOrSkip()
    {
        if (File.Exists(ExecutablePath))
        {
            return;
        }

        var message = $"Chromium not found at {ExecutablePath}: install the Debian package '{Package}' (apt-get install -y {Package}) " +
            "or set DIALOGUECACHE_CHROMIUM to a Chromium binary; .ci/run installs it.";
        if (Required)
        {
            throw new InvalidOperationException($"{message} DIALOGUECACHE_REQUIRE_BROWSER=1, so a missing browser fails the run.");
        }

        Skip.If(true, message);
    }

    /// <summary>Launches headless Chromium with a fresh profile.</summary>
    public static async Task<BrowserSession> LaunchAsync()
    {
        RequireOrSkip();
        var profile = new TempFolder("websample-chromium-");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.Path, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Flags,
                ViewportSize = new ViewportSize { Width = 1280, Height = 1000 },
                Timeout = 60_000,
            });
            return new BrowserSession(playwright, context, profile);
        }
        catch
        {
            playwright.Dispose();
            profile.Dispose();
            throw;
        }
    }
}
