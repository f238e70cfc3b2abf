namespace Dialogue.Caching.Redis.Internal;

/// <summary>
/// Reported (never thrown to callers) for an operation the Redis store skipped: the circuit breaker is open,
/// or no connection was ready in time.
/// </summary>
internal sealed class RedisStoreUnavailableException : Exception
{
    public RedisStoreUnavailableException()
    {
    }

    public RedisStoreUnavailableException(string message)
        : base(message)
    {
    }

    public RedisStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
