using System.Text;
using static Dialogue.Caching.Tests.Prewarm.PrewarmText;

namespace Dialogue.Caching.Tests.Prewarm;

public class JsonLinesDialogueCacheLoaderTests
{
    private const string Shape = "{\"key\": \"...\", \"value\": \"...\"}";

    private readonly JsonLinesDialogueCacheLoader _loader = new();

    [Fact]
    public async Task LoadEntriesAsync_Lines_YieldsEntriesWithTtls()
    {
        var entries = await LoadEntriesAsync(_loader, """
            {"key": "greeting", "value": "Well met!", "ttlSeconds": 30}
            {"key": "farewell", "value": "Safe roads."}
            {"key": "half", "value": "", "ttlSeconds": 0.5}
            {"key": "tiny", "value": "t", "ttlSeconds": 2.5e-3}
            """);

        Assert.Equal(
            [
                new("greeting", "Well met!", TimeSpan.FromSeconds(30)),
                new("farewell", "Safe roads.", null),
                new("half", "", TimeSpan.FromMilliseconds(500)),
                new("tiny", "t", TimeSpan.FromTicks(25_000)),
            ],
            entries);
    }

    [Fact]
    public async Task LoadEntriesAsync_BlankLinesAndCrLf_SkipsBlankLines()
    {
        var entries = await LoadEntriesAsync(_loader, "\n  \r\n{\"key\": \"a\", \"value\": \"1\"}\r\n\t\n\r\n{\"key\": \"b\", \"value\": \"2\"}\r\n\n");

        Assert.Equal([new("a", "1"), new("b", "2")], entries);
    }

    [Fact]
    public async Task LoadEntriesAsync_NoNewLineAtEnd_ReadsTheLastLine()
    {
        var entries = await LoadEntriesAsync(_loader, "{\"key\": \"a\", \"value\": \"1\"}\n{\"key\": \"b\", \"value\": \"2\"}");

        Assert.Equal([new("a", "1"), new("b", "2")], entries);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n   \r\n")]
    public async Task LoadEntriesAsync_NoLines_YieldsNothing(string text)
    {
        Assert.Empty(await LoadEntriesAsync(_loader, text));
    }

    [Fact]
    public async Task LoadEntriesAsync_UnknownPropertiesAndAnyOrder_AreAccepted()
    {
        var entries = await LoadEntriesAsync(_loader, """
            {"note": {"deep": [1, {"x": null}]}, "value": "v1", "hits": 12, "key": "k1", "tags": ["a"], "Key": 5}
            {"ttlSeconds": 60, "value": "v2", "key": "k2"}
            """);

        Assert.Equal([new("k1", "v1"), new("k2", "v2", TimeSpan.FromMinutes(1))], entries);
    }

    [Fact]
    public async Task LoadEntriesAsync_UnicodeAndEscapes_DecodesThem()
    {
        var entries = await LoadEntriesAsync(_loader, """
            {"key": "npc:forgeron|café", "value": "Äpfel, 日本語, 🐉"}
            {"k\u0065y": "esc\"aped\u00e9", "value": "line1\nline2\t\\ \/ \ud83d\ude00"}
            """);

        Assert.Equal([new("npc:forgeron|café", "Äpfel, 日本語, 🐉"), new("esc\"apedé", "line1\nline2\t\\ / 😀")], entries);
    }

    [Fact]
    public async Task LoadEntriesAsync_FileWithByteOrderMark_SkipsIt()
    {
        using var file = TempFile.Create("{\"key\": \"k\", \"value\": \"v\", \"ttlSeconds\": 5}\n", ".jsonl", byteOrderMark: true);
        await using var stream = file.OpenRead();

        Assert.Equal([new("k", "v", TimeSpan.FromSeconds(5))], await LoadEntriesAsync(_loader, stream));
    }

    [Fact]
    public async Task LoadEntriesAsync_DuplicateKeys_YieldsBothInFileOrder()
    {
        var entries = await LoadEntriesAsync(_loader, "{\"key\": \"k\", \"value\": \"first\"}\n{\"key\": \"k\", \"value\": \"second\"}");

        Assert.Equal([new("k", "first"), new("k", "second")], entries);
    }

    [Fact]
    public async Task LoadEntriesAsync_TtlAtTimeSpanMaximum_IsTimeSpanMaxValue()
    {
        var text = $"{{\"key\": \"k\", \"value\": \"v\", \"ttlSeconds\": {TimeSpan.MaxValue.TotalSeconds:R}}}";

        Assert.Equal([new("k", "v", TimeSpan.MaxValue)], await LoadEntriesAsync(_loader, text));
    }

    [Fact]
    public async Task LoadEntriesAsync_TinyPositiveTtl_KeepsAtLeastOneTick()
    {
        var entries = await LoadEntriesAsync(_loader, "{\"key\": \"k\", \"value\": \"v\", \"ttlSeconds\": 1e-12}");

        Assert.Equal([new("k", "v", TimeSpan.FromTicks(1))], entries);
    }

    [Fact]
    public async Task LoadAsync_Lines_YieldsKeyValuePairs()
    {
        var pairs = await LoadAsync(_loader, "{\"key\": \"a\", \"value\": \"1\", \"ttlSeconds\": 3}\n\n{\"key\": \"b\", \"value\": \"2\"}\n");

        Assert.Equal([new("a", "1"), new("b", "2")], pairs);
    }

    [Fact]
    public async Task LoadEntriesAsync_FileLargerThanBuffer_YieldsEveryEntry()
    {
        using var file = TempFile.Create(LinesText(30_000), ".jsonl");
        await using var stream = file.OpenRead();

        var entries = await LoadEntriesAsync(_loader, stream);

        Assert.True(stream.Length > 10 * 64 * 1024);
        Assert.Equal(30_000, entries.Count);
        Assert.Equal(new("k00001", "value 00001", TimeSpan.FromSeconds(2)), entries[0]);
        Assert.Equal(new("k12345", "value 12345", TimeSpan.FromSeconds(12346)), entries[12344]);
        Assert.Equal(new("k30000", "value 30000", TimeSpan.FromSeconds(30001)), entries[^1]);
    }

    [Fact]
    public async Task LoadEntriesAsync_LineLargerThanBuffer_YieldsItWhole()
    {
        var big = string.Concat(Enumerable.Repeat("é漢x", 100_000)); // 600 KB of UTF-8 on one line
        var text = $"{{\"key\": \"a\", \"value\": \"1\"}}\n{{\"key\": \"big\", \"value\": \"{big}\"}}\n{{\"key\": \"b\", \"value\": \"2\"}}";

        var entries = await LoadEntriesAsync(_loader, text);

        Assert.Equal([new("a", "1"), new("big", big), new("b", "2")], entries);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(23)]
    [InlineData(64)]
    public async Task LoadEntriesAsync_SmallBuffer_YieldsTheSameEntries(int bufferSize)
    {
        var text = "\r\n{\"key\": \"greeting\", \"value\": \"Well met! 🐉 \\u00e9\", \"ttlSeconds\": 1.5}\r\n\n"
            + "{\"key\": \"日本語\", \"value\": \"Äpfel\", \"extra\": [1, 2, 3]}\n{\"key\": \"k\", \"value\": \"v\"}";

        var expected = await LoadEntriesAsync(_loader, text);
        var actual = await LoadEntriesAsync(new JsonLinesDialogueCacheLoader(bufferSize), text);

        Assert.Equal(3, expected.Count);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("[\"k\", \"v\"]", 1, "an array")]
    [InlineData("  \"k\"", 3, "a string")]
    [InlineData("42", 1, "a number")]
    [InlineData("null", 1, "null")]
    [InlineData("\ttrue", 2, "a boolean")]
    public async Task LoadEntriesAsync_LineNotAnObject_Throws(string line, long position, string kind)
    {
        var exception = await FailsAsync(_loader, "{\"key\": \"a\", \"value\": \"1\"}\n" + line);

        AssertAt(exception, 2, position, $"the line must be a JSON object like {Shape}, but it is {kind}");
    }

    [Theory]
    [InlineData("{\"value\": \"v\"}", "key")]
    [InlineData("  {\"key\": \"k\", \"ttlSeconds\": 3}", "value")]
    [InlineData("{}", "key")]
    [InlineData("{\"Key\": \"k\", \"Value\": \"v\"}", "key")]
    public async Task LoadEntriesAsync_MissingProperty_ThrowsAtTheObject(string line, string missing)
    {
        var exception = await FailsAsync(_loader, "\n" + line);

        AssertAt(exception, 2, line.IndexOf('{') + 1, $"the line has no \"{missing}\" property; expected {Shape}");
    }

    [Theory]
    [InlineData("{\"key\": 5, \"value\": \"v\"}", 9, "\"key\" must be a string, but it is a number")]
    [InlineData("{\"key\": null, \"value\": \"v\"}", 9, "\"key\" must be a string, but it is null")]
    [InlineData("{\"key\": [\"k\"], \"value\": \"v\"}", 9, "\"key\" must be a string, but it is an array")]
    [InlineData("{\"key\": \"\", \"value\": \"v\"}", 9, "\"key\" is an empty string; keys must not be empty")]
    [InlineData("{\"key\": \"greeting\", \"value\": null}", 30, "\"value\" is null; values must be strings")]
    [InlineData("{\"key\": \"greeting\", \"value\": 12}", 30, "\"value\" is a number; values must be strings")]
    [InlineData("{\"key\": \"greeting\", \"value\": {\"text\": \"hi\"}}", 30, "\"value\" is an object; values must be strings")]
    [InlineData("{\"value\": false, \"key\": \"greeting\"}", 11, "\"value\" is a boolean; values must be strings")]
    [InlineData("{\"key\": \"k\", \"key\": \"k2\", \"value\": \"v\"}", 14, "the line has more than one \"key\" property")]
    [InlineData("{\"key\": \"k\", \"value\": \"v\", \"value\": \"v2\"}", 28, "the line has more than one \"value\" property")]
    [InlineData("{\"key\": \"k\", \"value\": \"v\", \"ttlSeconds\": 1, \"ttlSeconds\": 2}", 45, "the line has more than one \"ttlSeconds\" property")]
    public async Task LoadEntriesAsync_BadKeyOrValue_ThrowsAtTheToken(string line, long position, string reason)
    {
        var exception = await FailsAsync(_loader, "{\"key\": \"a\", \"value\": \"1\"}\n\n" + line + "\n");

        AssertAt(exception, 3, position, reason);
    }

    [Theory]
    [InlineData("0", "\"ttlSeconds\" must be a positive number of seconds, but it is 0")]
    [InlineData("-0", "\"ttlSeconds\" must be a positive number of seconds, but it is -0")]
    [InlineData("-5", "\"ttlSeconds\" must be a positive number of seconds, but it is -5")]
    [InlineData("1e-400", "\"ttlSeconds\" must be a positive number of seconds, but it is 0")]
    [InlineData("\"30\"", "\"ttlSeconds\" must be a positive number of seconds, but it is a string")]
    [InlineData("null", "\"ttlSeconds\" must be a positive number of seconds, but it is null")]
    [InlineData("true", "\"ttlSeconds\" must be a positive number of seconds, but it is a boolean")]
    [InlineData("[30]", "\"ttlSeconds\" must be a positive number of seconds, but it is an array")]
    [InlineData("922337203686", "\"ttlSeconds\" is too large; the most is 922337203685 seconds (TimeSpan.MaxValue)")]
    [InlineData("1e400", "\"ttlSeconds\" is too large; the most is 922337203685 seconds (TimeSpan.MaxValue)")]
    public async Task LoadEntriesAsync_BadTtl_Throws(string ttl, string reason)
    {
        var exception = await FailsAsync(_loader, $"{{\"key\": \"k\", \"value\": \"v\", \"ttlSeconds\": {ttl}}}");

        AssertAt(exception, 1, 42, reason);
    }

    [Theory]
    [InlineData("{\"key\": \"k\", \"value\": \"v\"", 26)] // unterminated: just past the end (25 bytes)
    [InlineData("{\"key\": \"k\" \"value\": \"v\"}", 13)] // missing comma
    [InlineData("{\"key\": \"k\", \"value\": \"v\",}", 27)] // trailing comma: strict
    [InlineData("{\"key\": \"k\", /* c */ \"value\": \"v\"}", 14)] // comment: strict
    [InlineData("{\"key\": \"k\", \"value\": \"a\\qb\"}", 26)] // bad escape, at the bad character
    [InlineData("{\"key\": \"é\", \"value\": nope}", 25)] // bytes, not characters
    [InlineData("{\"key\": \"k\", \"value\"", 21)] // ends after a property name: just past the end
    public async Task LoadEntriesAsync_MalformedLine_ThrowsAtTheError(string line, long position)
    {
        var exception = await FailsAsync(_loader, "{\"key\": \"a\", \"value\": \"1\"}\r\n" + line + "\r\n{\"key\": \"b\", \"value\": \"2\"}");

        AssertAt(exception, 2, position);
        Assert.StartsWith("the JSON is malformed: ", exception.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", exception.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(exception.InnerException);
    }

    [Theory]
    [InlineData("{\"key\": \"k\", \"value\": \"v\"} x", 28)]
    [InlineData("{\"key\": \"k\", \"value\": \"v\"}{\"key\": \"k2\", \"value\": \"v2\"}", 27)]
    [InlineData("{\"key\": \"k\", \"value\": \"v\"} // comment", 28)]
    public async Task LoadEntriesAsync_ContentAfterObjectOnLine_Throws(string line, long position)
    {
        var exception = await FailsAsync(_loader, line);

        AssertAt(exception, 1, position);
        Assert.StartsWith("unexpected content after the end of the JSON object on this line: ", exception.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadEntriesAsync_ErrorAfterByteOrderMark_PositionIgnoresTheMark()
    {
        using var file = TempFile.Create("{\"key\": 1, \"value\": \"v\"}\n", ".jsonl", byteOrderMark: true);
        await using var stream = file.OpenRead();

        var exception = await Assert.ThrowsAsync<DialogueCachePrewarmException>(() => LoadEntriesAsync(_loader, stream));

        AssertAt(exception, 1, 9, "\"key\" must be a string, but it is a number");
    }

    [Fact]
    public async Task LoadEntriesAsync_InvalidUtf8InValue_Throws()
    {
        byte[] text = [.. "{\"key\": \"k\", \"value\": \""u8, 0xFF, .. "\"}\n"u8];

        var exception = await Assert.ThrowsAsync<DialogueCachePrewarmException>(() => LoadEntriesAsync(_loader, new MemoryStream(text)));

        AssertAt(exception, 1, 23);
        Assert.StartsWith("\"value\" is not valid text: ", exception.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadEntriesAsync_LoneSurrogateEscapeInKey_Throws()
    {
        var exception = await FailsAsync(_loader, "{\"key\": \"\\udc00\", \"value\": \"v\"}");

        AssertAt(exception, 1, 9);
        Assert.StartsWith("\"key\" is not valid text: ", exception.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"key\": \"k25001\", \"value\": 7}", 28)]
    [InlineData("{\"key\": \"k25001\", \"value\": \"v\", \"ttlSeconds\": -1}", 47)]
    [InlineData("{\"key\": \"k25001\", \"value\": \"v\", \"ttlSeconds\": 1", 48)]
    public async Task LoadEntriesAsync_ErrorManyChunksIn_ReportsExactLineAndPosition(string badLine, long position)
    {
        var lines = LinesText(40_000).Split('\n');
        lines[25_000] = badLine; // line 25001
        using var file = TempFile.Create(string.Join('\n', lines), ".jsonl");
        await using var stream = file.OpenRead();

        var exception = await Assert.ThrowsAsync<DialogueCachePrewarmException>(() => LoadEntriesAsync(_loader, stream));

        AssertAt(exception, 25_001, position);
        Assert.True(stream.Position > 64 * 1024);
    }

    [Fact]
    public async Task LoadEntriesAsync_ErrorAfterLineLargerThanBuffer_ReportsTheLine()
    {
        var big = new string('x', 300_000);
        var text = $"{{\"key\": \"big\", \"value\": \"{big}\"}}\n\n{{\"key\": \"k\", \"value\": \"v\", \"ttlSeconds\": 0}}";

        var exception = await FailsAsync(_loader, text);

        AssertAt(exception, 3, 42, "\"ttlSeconds\" must be a positive number of seconds, but it is 0");
    }

    [Fact]
    public async Task LoadEntriesAsync_ErrorInLineLargerThanBuffer_ReportsBytePosition()
    {
        var big = string.Concat(Enumerable.Repeat("日本語 ", 30_000));
        var text = $"\n{{\"key\": \"big\", \"value\": \"{big}\", \"ttlSeconds\": \"soon\"}}";

        var exception = await FailsAsync(_loader, text);

        var (line, position) = LocationOf(text, text.IndexOf("\"soon\"", StringComparison.Ordinal));
        AssertAt(exception, line, position, "\"ttlSeconds\" must be a positive number of seconds, but it is a string");
        Assert.Equal((2L, Encoding.UTF8.GetByteCount(big) + 43L), (line, position));
    }

    public static TheoryData<string, string> ErrorsAtMarker => new()
    {
        { "{\"key\": \"a\", \"value\": \"1\"}\r\n\r\n  \n{\"key\": \"日本\", \"value\": ⟨⟩42}\n", "\"value\" is a number; values must be strings" },
        { "{\"key\": \"a\", \"value\": \"1\"}\n\n{\"key\": \"a long key over a chunk\", \"value\": \"ü\\⟨⟩z\"}", "the JSON is malformed: " },
        { "\n\n\n\n⟨⟩{\"value\": \"a long value over a chunk\", \"ttlSeconds\": 9}", "the line has no \"key\" property; expected " },
        { "{\"key\": \"a\", \"value\": \"1\"}\n{\"key\": \"b\", \"value\": \"2\", \"ttlSeconds\": ⟨⟩0.0}", "\"ttlSeconds\" must be a positive number of seconds, but it is 0" },
    };

    [Theory]
    [MemberData(nameof(ErrorsAtMarker))]
    public async Task LoadEntriesAsync_ErrorAtAnyChunkBoundary_ReportsTheSameLocation(string marked, string reason)
    {
        var marker = marked.IndexOf("⟨⟩", StringComparison.Ordinal);
        var text = marked.Remove(marker, 2);
        var (line, position) = LocationOf(text, marker);

        for (var bufferSize = 16; bufferSize <= Encoding.UTF8.GetByteCount(text) + 1; bufferSize++)
        {
            var exception = await FailsAsync(new JsonLinesDialogueCacheLoader(bufferSize), text);

            AssertAt(exception, line, position);
            Assert.StartsWith(reason, exception.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LoadEntriesAsync_LargeStream_YieldsFirstEntryAfterReadingLittle()
    {
        var bytes = Utf8(LinesText(200_000)); // ~13 MB
        await using var stream = new CountingStream(new MemoryStream(bytes));

        await using var entries = _loader.LoadEntriesAsync(stream, CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await entries.MoveNextAsync());

        Assert.Equal(new("k00001", "value 00001", TimeSpan.FromSeconds(2)), entries.Current);
        Assert.InRange(stream.BytesRead, 1, 128 * 1024);
        Assert.True(stream.BytesRead < bytes.Length / 50, $"read {stream.BytesRead} of {bytes.Length} bytes");
    }

    [Fact]
    public async Task LoadAsync_LargeStream_YieldsFirstPairAfterReadingLittle()
    {
        var bytes = Utf8(LinesText(200_000));
        await using var stream = new CountingStream(new MemoryStream(bytes));

        await using var pairs = _loader.LoadAsync(stream, CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await pairs.MoveNextAsync());

        Assert.Equal(new("k00001", "value 00001"), pairs.Current);
        Assert.InRange(stream.BytesRead, 1, 128 * 1024);
    }

    [Fact]
    public async Task LoadEntriesAsync_CanceledBeforeStart_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var stream = new CountingStream(Stream(LinesText(10)));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var entry in _loader.LoadEntriesAsync(stream, cts.Token))
            {
            }
        });
        Assert.Equal(0, stream.BytesRead);
    }

    [Fact]
    public async Task LoadEntriesAsync_CanceledAfterFirstEntry_ThrowsOnNextEntry()
    {
        using var cts = new CancellationTokenSource();
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var entry in _loader.LoadEntriesAsync(Stream(LinesText(100)), cts.Token))
            {
                seen++;
                await cts.CancelAsync();
            }
        });
        Assert.Equal(1, seen);
    }

    [Fact]
    public async Task LoadAsync_CanceledThroughWithCancellation_Throws()
    {
        using var cts = new CancellationTokenSource();
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var pair in _loader.LoadAsync(Stream(LinesText(100)), CancellationToken.None).WithCancellation(cts.Token))
            {
                seen++;
                await cts.CancelAsync();
            }
        });
        Assert.Equal(1, seen);
    }

    [Fact]
    public async Task LoadEntriesAsync_CanceledWhileReading_StopsTheRead()
    {
        using var cts = new CancellationTokenSource();
        var stream = new StalledStream();
        await using var entries = _loader.LoadEntriesAsync(stream, cts.Token).GetAsyncEnumerator();

        var next = entries.MoveNextAsync().AsTask();
        await stream.ReadStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(next.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void LoadEntriesAsync_NullStream_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>("stream", () => _loader.LoadEntriesAsync(null!, CancellationToken.None));
        Assert.Throws<ArgumentNullException>("stream", () => _loader.LoadAsync(null!, CancellationToken.None));
    }

    [Fact]
    public void LoadEntriesAsync_StreamNotReadable_ThrowsArgumentExceptionAtTheCall()
    {
        using var file = TempFile.Create("""{"key": "a", "value": "1"}""", ".jsonl");
        using var writeOnly = new FileStream(file.Path, FileMode.Open, FileAccess.Write);

        Assert.Contains("readable", Assert.Throws<ArgumentException>("stream", () => _loader.LoadEntriesAsync(writeOnly, CancellationToken.None)).Message, StringComparison.Ordinal);
        Assert.Contains("readable", Assert.Throws<ArgumentException>("stream", () => _loader.LoadAsync(writeOnly, CancellationToken.None)).Message, StringComparison.Ordinal);
    }

    /// <summary>One entry per line: {"key": "k00001", "value": "value 00001", "ttlSeconds": 2}, the TTL being i + 1.</summary>
    private static string LinesText(int count)
    {
        var text = new StringBuilder();
        for (var i = 1; i <= count; i++)
        {
            text.Append($"{{\"key\": \"k{i:D5}\", \"value\": \"value {i:D5}\", \"ttlSeconds\": {i + 1}}}\n");
        }

        return text.ToString();
    }
}
