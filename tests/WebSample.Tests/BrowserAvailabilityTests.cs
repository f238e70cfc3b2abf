using WebSample.Tests.Support;

namespace WebSample.Tests;

public sealed class BrowserAvailabilityTests
{
    [SkippableFact]
    public void Chromium_Required_IsInstalled()
    {
        // Under .ci/run (DIALOGUECACHE_REQUIRE_BROWSER=1) this fails when the browser is missing; elsewhere it
        // reports the skip with the package to install, like the browser tests themselves.
        Chromium.RequireOrSkip();

        Assert.True(File.Exists(Chromium.ExecutablePath));
    }
}
