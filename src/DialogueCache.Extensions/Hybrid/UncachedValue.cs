namespace Dialogue.Caching.Hybrid;

/// <summary>
/// The outcome of a factory call whose value cannot be stored (its serialized form is over
/// <see cref="DialogueHybridCacheOptions.MaximumPayloadBytes"/>): handed to every waiting caller as is, stored nowhere.
/// </summary>
internal sealed class UncachedValue(object? value)
{
    public object? Value { get; } = value;
}
