namespace Dialogue.Caching.Benchmarks.Profiling;

/// <summary>A copy of the engine's CacheNode layout (same fields, same 72-byte object), for <see cref="HitPathReplica"/>.</summary>
internal sealed class ReplicaNode
{
    public ReplicaNode(string key, string value, long expiresAt)
    {
        Key = key;
        Value = value;
        ExpiresAt = expiresAt;
    }

    public string Key { get; }

    public string Value { get; }

    public long ExpiresAt { get; }

    public bool IsLive { get; set; } = true;

    public ReplicaNode? Previous { get; set; }

    public ReplicaNode? Next { get; set; }

    public int HeapIndex { get; set; } = -1;

    public ReplicaTopKeys.Counter? TopKeyCounter { get; set; }
}
