using Dialogue.Caching.Prewarm;
using static Dialogue.Caching.Tests.Prewarm.PrewarmText;

namespace Dialogue.Caching.Tests.Prewarm;

public class Utf8ChunkReaderTests
{
    [Fact]
    public async Task ReadAsync_SmallStream_ReadsItAllAsTheFinalBlock()
    {
        using var chunk = new Utf8ChunkReader(Stream("hello"), 16);

        await chunk.ReadAsync(CancellationToken.None);

        Assert.True(chunk.IsFinalBlock);
        Assert.Equal("hello"u8.ToArray(), chunk.Data.ToArray());
    }

    [Fact]
    public async Task ReadAsync_ByteOrderMark_SkipsItOnlyAtTheStart()
    {
        using var chunk = new Utf8ChunkReader(new MemoryStream([0xEF, 0xBB, 0xBF, (byte)'a', 0xEF, 0xBB, 0xBF]), 16);

        await chunk.ReadAsync(CancellationToken.None);

        Assert.Equal(new byte[] { (byte)'a', 0xEF, 0xBB, 0xBF }, chunk.Data.ToArray());
        Assert.Equal(new TextLocation(1, 1), chunk.Locate(0));
    }

    [Fact]
    public async Task ReadAsync_AfterPartialAdvance_KeepsTheRestAndAppends()
    {
        using var chunk = new Utf8ChunkReader(Stream("0123456789abcdef\nGHIJ"), 16);
        await chunk.ReadAsync(CancellationToken.None);
        Assert.False(chunk.IsFinalBlock);

        chunk.Advance(10);
        await chunk.ReadAsync(CancellationToken.None);

        Assert.Equal("abcdef\nGHIJ"u8.ToArray(), chunk.Data.ToArray());
        Assert.True(chunk.IsFinalBlock);
        Assert.Equal(16, chunk.BufferSize);
        Assert.Equal(new TextLocation(1, 11), chunk.Locate(0));
        Assert.Equal(new TextLocation(2, 2), chunk.Locate(8));
    }

    [Fact]
    public async Task ReadAsync_NothingConsumedFromAFullBuffer_GrowsTheBuffer()
    {
        using var chunk = new Utf8ChunkReader(Stream(new string('x', 40)), 16);
        await chunk.ReadAsync(CancellationToken.None);

        await chunk.ReadAsync(CancellationToken.None);
        Assert.Equal(32, chunk.BufferSize);
        await chunk.ReadAsync(CancellationToken.None);

        Assert.Equal(64, chunk.BufferSize);
        Assert.True(chunk.IsFinalBlock);
        Assert.Equal(40, chunk.Data.Length);
    }
}
