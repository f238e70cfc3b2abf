using System.Text;

namespace Dialogue.Caching.Tests.Prewarm;

/// <summary>Helpers to build prewarm inputs and run loaders over them.</summary>
internal static class PrewarmText
{
    public static byte[] Utf8(string text, bool byteOrderMark = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return byteOrderMark ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes;
    }

    public static MemoryStream Stream(string text, bool byteOrderMark = false) => new(Utf8(text, byteOrderMark), writable: false);

    public static async Task<List<KeyValuePair<string, string>>> LoadAsync(IDialogueCacheLoader loader, Stream stream)
    {
        var items = new List<KeyValuePair<string, string>>();
        await foreach (var item in loader.LoadAsync(stream, CancellationToken.None))
        {
            items.Add(item);
        }

        return items;
    }

    public static Task<List<KeyValuePair<string, string>>> LoadAsync(IDialogueCacheLoader loader, string text) =>
        LoadAsync(loader, Stream(text));

    public static async Task<List<DialogueCacheEntry>> LoadEntriesAsync(IDialogueCacheEntryLoader loader, Stream stream)
    {
        var entries = new List<DialogueCacheEntry>();
        await foreach (var entry in loader.LoadEntriesAsync(stream, CancellationToken.None))
        {
            entries.Add(entry);
        }

        return entries;
    }

    public static Task<List<DialogueCacheEntry>> LoadEntriesAsync(IDialogueCacheEntryLoader loader, string text) =>
        LoadEntriesAsync(loader, Stream(text));

    /// <summary>Loads <paramref name="text"/> and returns the prewarm error it must raise.</summary>
    public static Task<DialogueCachePrewarmException> FailsAsync(IDialogueCacheLoader loader, string text) =>
        Assert.ThrowsAsync<DialogueCachePrewarmException>(() => LoadAsync(loader, text));

    /// <summary>
    /// Where <paramref name="text"/>[<paramref name="charIndex"/>] is, counted the way the loaders
    /// document it: 1-based line ('\n' ends a line) and 1-based UTF-8 byte position within the line.
    /// </summary>
    public static (long Line, long Position) LocationOf(string text, int charIndex)
    {
        var lineStart = charIndex == 0 ? 0 : text.LastIndexOf('\n', charIndex - 1) + 1;
        var line = text.AsSpan(0, charIndex).Count('\n') + 1;
        var position = Encoding.UTF8.GetByteCount(text.AsSpan(lineStart, charIndex - lineStart)) + 1;
        return (line, position);
    }

    public static void AssertAt(DialogueCachePrewarmException exception, long line, long position)
    {
        Assert.Null(exception.FilePath);
        Assert.Equal((line, position), (exception.LineNumber, exception.Position));
        Assert.StartsWith($"Prewarm input, line {line}, position {position}: ", exception.Message, StringComparison.Ordinal);
    }

    public static void AssertAt(DialogueCachePrewarmException exception, long line, long position, string reason)
    {
        AssertAt(exception, line, position);
        Assert.Equal(reason, exception.Reason);
        Assert.Equal($"Prewarm input, line {line}, position {position}: {reason}", exception.Message);
    }
}
