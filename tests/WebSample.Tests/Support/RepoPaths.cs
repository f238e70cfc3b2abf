namespace WebSample.Tests.Support;

/// <summary>Folders of the repository the tests were built in.</summary>
internal static class RepoPaths
{
    /// <summary>The repository root (the folder with DialogueCache.Extensions.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Where tests leave files for people to look at (screenshots): $DIALOGUECACHE_ARTIFACTS, else artifacts/WebSample.Tests.</summary>
    public static string Artifacts
    {
        get
        {
            var folder = Environment.GetEnvironmentVariable("DIALOGUECACHE_ARTIFACTS") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Root, "artifacts", "WebSample.Tests");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>The sample's project folder.</summary>
    public static string Sample => Path.Combine(Root, "samples", "WebSample");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DialogueCache.Extensions.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No DialogueCache.Extensions.sln above {AppContext.BaseDirectory}.");
    }
}
