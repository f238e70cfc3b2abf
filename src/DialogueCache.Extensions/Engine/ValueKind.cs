namespace Dialogue.Caching.Engine;

/// <summary>
/// What a node's value is, recorded when the node is made: a read learns it from the node it already holds, without
/// touching the value object (on a large cache a type check of the value costs a cache miss per hit).
/// </summary>
internal enum ValueKind : byte
{
    /// <summary>Any other object (set through IMemoryCache), or null.</summary>
    Other,

    /// <summary>A <see cref="string"/>: the string API's value.</summary>
    Text,

    /// <summary>A <see cref="byte"/> array: IDistributedCache's value (the UTF-8 of a text).</summary>
    Bytes,
}
