namespace Dialogue.Caching.Sqlite.Internal;

/// <summary>Times in the file are Unix milliseconds (UTC), <see cref="DateTimeOffset.MaxValue"/> included.</summary>
internal static class UnixTime
{
    public static long ToMilliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset ToDateTimeOffset(long milliseconds) =>
        milliseconds >= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() ? DateTimeOffset.MaxValue
        : milliseconds <= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() ? DateTimeOffset.MinValue
        : DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
