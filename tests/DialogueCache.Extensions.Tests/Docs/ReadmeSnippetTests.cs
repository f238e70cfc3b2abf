namespace Dialogue.Caching.Tests.Docs;

/// <summary>
/// README code that cannot run in a test is compiled in tests/DialogueCache.Extensions.ReadmeSnippets (this project
/// references it, so building the tests builds it). These tests keep those files the README's text.
/// </summary>
public sealed class ReadmeSnippetTests
{
    [Fact]
    public void OpenAIProgram_IsTheReadmesChatClientsExample()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));

        var snippet = CodeBlockAfter(readme, "A Program.cs with OpenAI");

        Assert.Equal(snippet, File.ReadAllText(Path.Combine(root, "tests", "DialogueCache.Extensions.ReadmeSnippets", "OpenAIProgram.cs")));
    }

    // The first ```csharp block after the marker, without its fences.
    private static string CodeBlockAfter(string markdown, string marker)
    {
        var at = markdown.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"the README no longer says \"{marker}\"");
        var fence = markdown.IndexOf("```csharp\n", at, StringComparison.Ordinal);
        Assert.True(fence >= 0, $"no C# block after \"{marker}\"");
        var start = fence + "```csharp\n".Length;
        var end = markdown.IndexOf("```", start, StringComparison.Ordinal);
        return markdown[start..end];
    }

    private static string RepositoryRoot()
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
