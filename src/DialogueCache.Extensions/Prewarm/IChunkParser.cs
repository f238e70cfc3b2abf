namespace Dialogue.Caching.Prewarm;

/// <summary>A parser that turns the complete records of one chunk of UTF-8 into items.</summary>
internal interface IChunkParser<T>
{
    /// <summary>Adds the records complete in <paramref name="chunk"/> to <paramref name="batch"/> and consumes their bytes.</summary>
    void Parse(Utf8ChunkReader chunk, List<T> batch);
}
