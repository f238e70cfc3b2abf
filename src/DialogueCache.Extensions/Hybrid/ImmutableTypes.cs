using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Dialogue.Caching.Hybrid;

/// <summary>
/// Whether callers may share one instance of <typeparamref name="T"/>, by HybridCache's rule: strings, value types
/// without references, and sealed types or value types marked <c>[ImmutableObject(true)]</c>. Every other type is
/// deserialized afresh for each caller, so no caller can change what another one gets.
/// </summary>
internal static class ImmutableTypes<T>
{
    public static bool IsImmutable { get; } = !RuntimeHelpers.IsReferenceOrContainsReferences<T>() || IsMarkedImmutable(typeof(T));

    private static bool IsMarkedImmutable(Type type)
    {
        if (type == typeof(string))
        {
            return true;
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        return (type.IsValueType || (type.IsClass && type.IsSealed))
            && type.GetCustomAttribute<ImmutableObjectAttribute>() is { Immutable: true };
    }
}
