using System.Text;
using static Dialogue.Caching.Tests.Prewarm.PrewarmText;

namespace Dialogue.Caching.Tests.Prewarm;

public class JsonDialogueCacheLoaderTests
{
    private readonly JsonDialogueCacheLoader _loader = new();

    [Fact]
    public async Task LoadAsync_Object_YieldsPairsInFileOrder()
    {
        var items = await LoadAsync(_loader, """{"greeting": "Well met, traveller.", "farewell": "Safe roads.", "a": ""}""");

        Assert.Equal(
            [new("greeting", "Well met, traveller."), new("farewell", "Safe roads."), new("a", "")],
            items);
    }

    [Fact]
    public async Task LoadAsync_EmptyObject_YieldsNothing()
    {
        Assert.Empty(await LoadAsync(_loader, " {\n} \n"));
    }

    [Fact]
    public async Task LoadAsync_UnicodeAndEscapes_DecodesThem()
    {
        var items = await LoadAsync(_loader, """
            {
              "npc:forgeron|café": "Äpfel, 日本語, 🐉",
              "esc\"aped\u00e9": "line1\nline2\t\"quoted\" back\\slash \/ \ud83d\ude00 \u65e5"
            }
            """);

        Assert.Equal(
            [new("npc:forgeron|café", "Äpfel, 日本語, 🐉"), new("esc\"apedé", "line1\nline2\t\"quoted\" back\\slash / 😀 日")],
            items);
    }

    [Fact]
    public async Task LoadAsync_FileWithByteOrderMark_SkipsIt()
    {
        using var file = TempFile.Create("""{"k": "v"}""", byteOrderMark: true);
        await using var stream = file.OpenRead();

        Assert.Equal([new("k", "v")], await LoadAsync(_loader, stream));
    }

    [Fact]
    public async Task LoadAsync_CommentsAndTrailingCommas_AreAllowed()
    {
        var items = await LoadAsync(_loader, """
            // prewarm for the blacksmith
            {
              /* greetings */ "greeting": "Hail!", // said first
              "farewell": /* inline */ "Bye!",
            }
            // end
            """);

        Assert.Equal([new("greeting", "Hail!"), new("farewell", "Bye!")], items);
    }

    [Fact]
    public async Task LoadAsync_DuplicateKeys_YieldsBothInFileOrder()
    {
        var items = await LoadAsync(_loader, """{"k": "first", "other": "x", "k": "second"}""");

        Assert.Equal([new("k", "first"), new("other", "x"), new("k", "second")], items);
    }

    [Fact]
    public async Task LoadAsync_CrLfLineEndings_AreAllowed()
    {
        Assert.Equal([new("a", "1"), new("b", "2")], await LoadAsync(_loader, "{\r\n  \"a\": \"1\",\r\n  \"b\": \"2\"\r\n}\r\n"));
    }

    [Fact]
    public async Task LoadAsync_FileLargerThanBuffer_YieldsEveryEntry()
    {
        using var file = TempFile.Create(ObjectText(50_000));
        await using var stream = file.OpenRead();

        var items = await LoadAsync(_loader, stream);

        Assert.True(stream.Length > 10 * 64 * 1024);
        Assert.Equal(50_000, items.Count);
        Assert.Equal(new("k00001", "value 00001"), items[0]);
        Assert.Equal(new("k31337", "value 31337"), items[31336]);
        Assert.Equal(new("k50000", "value 50000"), items[^1]);
    }

    [Fact]
    public async Task LoadAsync_ValueLargerThanBuffer_YieldsItWhole()
    {
        var big = string.Concat(Enumerable.Repeat("é漢x", 100_000)); // 600 KB of UTF-8
        var items = await LoadAsync(_loader, $$"""{"before": "b", "big": "{{big}}", "after": "a"}""");

        Assert.Equal([new("before", "b"), new("big", big), new("after", "a")], items);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(19)]
    [InlineData(32)]
    [InlineData(61)]
    public async Task LoadAsync_SmallBuffer_YieldsTheSameEntries(int bufferSize)
    {
        // Tokens, escapes, multi-byte characters and comments straddle chunk boundaries.
        var text = """
            { // intro
              "greeting": "Well met, traveller! 🐉 \u00e9\n",
              /* a long
                 comment */ "farewell": "Äpfel und Birnen, 日本語",
              "k": "v",
              "long-key-that-is-longer-than-one-chunk-of-sixteen-bytes": "x",
            }
            """;

        var expected = await LoadAsync(_loader, text);
        var actual = await LoadAsync(new JsonDialogueCacheLoader(bufferSize), text);

        Assert.Equal(4, expected.Count);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("{\"greeting\": 42}", "a number")]
    [InlineData("{\"greeting\": -1.5e3}", "a number")]
    [InlineData("{\"greeting\": null}", "null")]
    [InlineData("{\"greeting\": true}", "a boolean")]
    [InlineData("{\"greeting\": false}", "a boolean")]
    [InlineData("{\"greeting\": {\"nested\": \"x\"}}", "an object")]
    [InlineData("{\"greeting\": [\"x\"]}", "an array")]
    public async Task LoadAsync_ValueNotAString_ThrowsNamingKindAtTheValue(string text, string kind)
    {
        var exception = await FailsAsync(_loader, text);

        AssertAt(exception, 1, 14, $"the value is {kind}; values must be strings");
    }

    [Fact]
    public async Task LoadAsync_NullValueOnLaterLine_ThrowsAtTheValue()
    {
        var exception = await FailsAsync(_loader, "{\n  \"a\": \"b\",\n  \"greeting\": null\n}");

        AssertAt(exception, 3, 15, "the value is null; values must be strings");
    }

    [Fact]
    public async Task LoadAsync_BadValueOrBadText_ReasonQuotesNeitherKeyNorValue()
    {
        // Keys carry prompts (user data) and the message reaches logs: the place is in it, the key is not.
        var key = "npc:smith|forge|t:what is my secret password " + new string('k', 500);

        var badValue = await FailsAsync(_loader, $$"""{"{{key}}": 1}""");
        var badText = await Assert.ThrowsAsync<DialogueCachePrewarmException>(() => LoadAsync(_loader,
            new MemoryStream([.. Encoding.UTF8.GetBytes($"{{\"{key}\": \"secret value "), 0xC3, 0x28, .. "\"}"u8])));

        AssertAt(badValue, 1, key.Length + 6, "the value is a number; values must be strings");
        AssertAt(badText, 1, key.Length + 6);
        foreach (var exception in new[] { badValue, badText })
        {
            Assert.DoesNotContain("secret", exception.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("[{\"a\": \"b\"}]", 1, 1, "an array")]
    [InlineData("  \"text\"", 1, 3, "a string")]
    [InlineData("\n\n 42", 3, 2, "a number")]
    [InlineData("null", 1, 1, "null")]
    [InlineData("// comment\ntrue", 2, 1, "a boolean")]
    public async Task LoadAsync_TopLevelNotAnObject_Throws(string text, long line, long position, string kind)
    {
        var exception = await FailsAsync(_loader, text);

        AssertAt(exception, line, position, $"the top level must be a JSON object like {{\"key\": \"value\"}}, but it is {kind}");
    }

    [Fact]
    public async Task LoadAsync_EmptyKey_Throws()
    {
        var exception = await FailsAsync(_loader, "{\"a\": \"b\",\n \"\": \"c\"}");

        AssertAt(exception, 2, 2, "a key is an empty string; keys must not be empty");
    }

    [Theory]
    [InlineData("", 1, 1)]
    [InlineData("   \n\t\r\n  ", 3, 3)]
    public async Task LoadAsync_EmptyInput_Throws(string text, long line, long position)
    {
        var exception = await FailsAsync(_loader, text);

        AssertAt(exception, line, position, "the input is empty; expected a JSON object like {\"key\": \"value\"}");
    }

    [Fact]
    public async Task LoadAsync_OnlyByteOrderMark_ThrowsEmpty()
    {
        using var file = TempFile.Create([0xEF, 0xBB, 0xBF]);
        await using var stream = file.OpenRead();

        var exception = await Assert.ThrowsAsync<DialogueCachePrewarmException>(() => LoadAsync(_loader, stream));

        AssertAt(exception, 1, 1, "the input is empty; expected a JSON object like {\"key\": \"value\"}");
    }

    [Theory]
    [InlineData("{\"a\": \"b\"}\n  x", 2, 3)]
    [InlineData("{\"a\": \"b\"} {\"c\": \"d\"}", 1, 12)]
    [InlineData("{\"a\": \"b\"}\n// fine\n,", 3, 1)]
    public async Task LoadAsync_ContentAfterObject_Throws(string text, long line, long position)
    {
        var exception = await FailsAsync(_loader, text);

        AssertAt(exception, line, position);
        Assert.StartsWith("unexpected content after the end of the JSON object: ", exception.Reason, StringComparison.Ordinal);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(exception.InnerException);
    }

    [Theory]
    [InlineData("{\n  \"a\": \"b\",\n  \"c\": x\n}", 3, 8)] // bad literal
    [InlineData("{\"a\": \"b\" \"c\": \"d\"}", 1, 11)] // missing comma
    [InlineData("{\"a\": \"b\\x\"}", 1, 10)] // bad escape
    [InlineData("{\"a\": \"b\",\n  \"c\" \"d\"}", 2, 7)] // missing colon
    [InlineData("{\"a\": 'b'}", 1, 7)] // single quotes
    [InlineData("{a: \"b\"}", 1, 2)] // unquoted key
    [InlineData("{\"a\": \"b\"", 1, 10)] // unterminated object: just past the end
    [InlineData("{\"a\": \"line\nbreak\"}", 1, 12)] // raw newline in a string
    [InlineData("{\"é\": \"日本\", \"b\": tru}", 1, 26)] // at the byte where "true" goes wrong, counting bytes
    public async Task LoadAsync_MalformedJson_ThrowsAtTheError(string text, long line, long position)
    {
        var exception = await FailsAsync(_loader, text);

        AssertAt(exception, line, position);
        Assert.StartsWith("the JSON is malformed: ", exception.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", exception.Message, StringComparison.Ordinal); // the reader's 0-based suffix is cut
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(exception.InnerException);
    }

    [Fact]
    public async Task LoadAsync_ErrorAfterByteOrderMark_PositionIgnoresTheMark()
    {
        using var file = TempFile.Create("{\"a\": 1}", byteOrderMark: true);
        await using var stream = file.OpenRead();

        var exception = await Assert.ThrowsAsync<DialogueCachePrewarmException>(() => LoadAsync(_loader, stream));

        AssertAt(exception, 1, 7, "the value is a number; values must be strings");
    }

    [Fact]
    public async Task LoadAsync_InvalidUtf8InValue_Throws()
    {
        byte[] text = [.. "{\"k\": \"ok\",\n \"bad\": \""u8, 0xC3, 0x28, .. "\"}"u8];

        var exception = await Assert.ThrowsAsync<DialogueCachePrewarmException>(() => LoadAsync(_loader, new MemoryStream(text)));

        AssertAt(exception, 2, 9);
        Assert.StartsWith("the value is not valid text: ", exception.Reason, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(exception.InnerException);
    }

    [Fact]
    public async Task LoadAsync_LoneSurrogateEscapeInKey_Throws()
    {
        var exception = await FailsAsync(_loader, "{\"ok\": \"x\", \"\\ud800\": \"y\"}");

        AssertAt(exception, 1, 13);
        Assert.StartsWith("a key is not valid text: ", exception.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("x")]
    public async Task LoadAsync_ErrorManyChunksIn_ReportsExactLineAndPosition(string badValue)
    {
        // ~1.5 MB: the error is far past the first 64 KiB buffer, and the line count must survive every chunk.
        var lines = ObjectText(60_000).Split('\n');
        lines[45_001] = $"  \"k45001\": {badValue},";
        var text = string.Join('\n', lines);
        using var file = TempFile.Create(text);
        await using var stream = file.OpenRead();

        var exception = await Assert.ThrowsAsync<DialogueCachePrewarmException>(() => LoadAsync(_loader, stream));

        // Line 1 is "{", so entry 45001 is on line 45002, and its value starts at byte 13.
        AssertAt(exception, 45_002, 13);
        Assert.True(stream.Position > 64 * 1024);
    }

    [Fact]
    public async Task LoadAsync_ErrorAfterValueLargerThanBuffer_ReportsBytePosition()
    {
        var big = string.Concat(Enumerable.Repeat("日本語 ", 50_000)); // 500 KB on one line
        var text = $$"""{"big": "{{big}}", "bad": 5}""";

        var exception = await FailsAsync(_loader, text);

        var (line, position) = LocationOf(text, text.LastIndexOf('5'));
        AssertAt(exception, line, position, "the value is a number; values must be strings");
        Assert.Equal(1, line);
        Assert.Equal(Encoding.UTF8.GetByteCount(big) + 20, position);
    }

    [Fact]
    public async Task LoadAsync_MalformedAfterValueLargerThanBuffer_ReportsBytePosition()
    {
        var big = new string('x', 300_000);
        var text = $"{{\"big\": \"{big}\",\n \"bad\": nul}}";

        var exception = await FailsAsync(_loader, text);

        // The reader points at the byte where "null" goes wrong: the "}".
        AssertAt(exception, 2, 12);
        Assert.Equal((2L, 12L), LocationOf(text, text.Length - 1));
    }

    public static TheoryData<string, string> ErrorsAtMarker => new()
    {
        // text with ⟨⟩ before the offending token, and the reason (or its start)
        { "{\n  \"a\": \"b\", // note\n  /* x\n y */ \"c\": ⟨⟩42\n}", "the value is a number; values must be strings" },
        { "{\n  \"a\": \"b\", // note\n  /* x\n y */ \"c\": ⟨⟩zz\n}", "the JSON is malformed: " },
        { "{ \"é\": \"日本\",\n\n\t⟨⟩\"\": \"v\" }", "a key is an empty string; keys must not be empty" },
        { "/* 日本 */\r\n\r\n  ⟨⟩[\"x\"]", "the top level must be a JSON object like {\"key\": \"value\"}, but it is an array" },
        { "{\"k\": \"v\", \"long key that spans chunks\": \"ü\"}\n  \n ⟨⟩{}", "unexpected content after the end of the JSON object: " },
        { "{\"k\": \"v\", \"long key that spans chunks\": \"ü\\⟨⟩q\"}", "the JSON is malformed: " }, // the reader points at the bad escape
    };

    [Theory]
    [MemberData(nameof(ErrorsAtMarker))]
    public async Task LoadAsync_ErrorAtAnyChunkBoundary_ReportsTheSameLocation(string marked, string reason)
    {
        var marker = marked.IndexOf("⟨⟩", StringComparison.Ordinal);
        var text = marked.Remove(marker, 2);
        var (line, position) = LocationOf(text, marker);

        // Every buffer size from the smallest up puts the chunk boundaries at every byte.
        for (var bufferSize = 16; bufferSize <= Encoding.UTF8.GetByteCount(text) + 1; bufferSize++)
        {
            var exception = await FailsAsync(new JsonDialogueCacheLoader(bufferSize), text);

            AssertAt(exception, line, position);
            Assert.StartsWith(reason, exception.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LoadAsync_LargeStream_YieldsFirstEntryAfterReadingLittle()
    {
        var bytes = Utf8(ObjectText(400_000)); // ~10 MB
        await using var stream = new CountingStream(new MemoryStream(bytes));

        await using var entries = _loader.LoadAsync(stream, CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await entries.MoveNextAsync());

        Assert.Equal(new("k00001", "value 00001"), entries.Current);
        Assert.InRange(stream.BytesRead, 1, 128 * 1024);
        Assert.True(stream.BytesRead < bytes.Length / 50, $"read {stream.BytesRead} of {bytes.Length} bytes");
    }

    [Fact]
    public async Task LoadAsync_CanceledBeforeStart_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var stream = new CountingStream(Stream(ObjectText(10)));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in _loader.LoadAsync(stream, cts.Token))
            {
            }
        });
        Assert.Equal(0, stream.BytesRead);
    }

    [Fact]
    public async Task LoadAsync_CanceledAfterFirstEntry_ThrowsOnNextEntry()
    {
        using var cts = new CancellationTokenSource();
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in _loader.LoadAsync(Stream(ObjectText(100)), cts.Token))
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
            await foreach (var item in _loader.LoadAsync(Stream(ObjectText(100)), CancellationToken.None).WithCancellation(cts.Token))
            {
                seen++;
                await cts.CancelAsync();
            }
        });
        Assert.Equal(1, seen);
    }

    [Fact]
    public async Task LoadAsync_CanceledWhileReading_StopsTheRead()
    {
        using var cts = new CancellationTokenSource();
        var stream = new StalledStream();
        await using var entries = _loader.LoadAsync(stream, cts.Token).GetAsyncEnumerator();

        var next = entries.MoveNextAsync().AsTask();
        await stream.ReadStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(next.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void LoadAsync_NullStream_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>("stream", () => _loader.LoadAsync(null!, CancellationToken.None));
    }

    [Fact]
    public void LoadAsync_StreamNotReadable_ThrowsArgumentExceptionAtTheCall()
    {
        using var file = TempFile.Create("""{"a": "1"}""");
        using var writeOnly = new FileStream(file.Path, FileMode.Open, FileAccess.Write);

        var error = Assert.Throws<ArgumentException>("stream", () => _loader.LoadAsync(writeOnly, CancellationToken.None));

        Assert.Contains("readable", error.Message, StringComparison.Ordinal);
    }

    /// <summary>{"k00001": "value 00001", ...} with one entry per line after the "{" line.</summary>
    private static string ObjectText(int count)
    {
        var text = new StringBuilder("{\n");
        for (var i = 1; i <= count; i++)
        {
            text.Append($"  \"k{i:D5}\": \"value {i:D5}\"").Append(i < count ? ",\n" : "\n");
        }

        return text.Append('}').ToString();
    }
}
