using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace Dialogue.Caching.Hybrid;

/// <summary>
/// Finds the serializer for each type once, in HybridCache's order: an <see cref="IHybridCacheSerializer{T}"/>
/// registered for the type, then the registered <see cref="IHybridCacheSerializerFactory"/>s (the last registered
/// first), then the built-ins: UTF-8 for strings, bytes as they are, System.Text.Json for the rest.
/// </summary>
/// <remarks>
/// JSON uses the <see cref="JsonSerializerOptions"/> registered under the key
/// <c>typeof(IHybridCacheSerializer&lt;T&gt;)</c>, else under <c>typeof(IHybridCacheSerializer&lt;&gt;)</c> (what
/// <c>WithJsonSerializerOptions</c> registers), else the defaults, with fields included for types that only have
/// fields (value tuples), as the default HybridCache does.
/// </remarks>
internal sealed class HybridSerializerRegistry
{
    private static readonly JsonSerializerOptions FieldOptions = new(JsonSerializerOptions.Default) { IncludeFields = true };

    private readonly IServiceProvider? _services;
    private readonly IHybridCacheSerializerFactory[] _factories;
    private readonly ConcurrentDictionary<Type, object> _serializers = new();

    public HybridSerializerRegistry(IServiceProvider? services)
    {
        _services = services;
        var factories = services?.GetServices<IHybridCacheSerializerFactory>().ToArray() ?? [];
        Array.Reverse(factories);
        _factories = factories;
    }

    public IHybridCacheSerializer<T> Get<T>() =>
        (IHybridCacheSerializer<T>)_serializers.GetOrAdd(typeof(T), static (_, registry) => registry.Resolve<T>(), this);

    private IHybridCacheSerializer<T> Resolve<T>()
    {
        if (_services?.GetService<IHybridCacheSerializer<T>>() is { } registered)
        {
            return registered;
        }

        foreach (var factory in _factories)
        {
            if (factory.TryCreateSerializer<T>(out var created))
            {
                return created;
            }
        }

        if (typeof(T) == typeof(string) || typeof(T) == typeof(byte[]))
        {
            return (IHybridCacheSerializer<T>)(object)RawHybridSerializer.Instance;
        }

        var options = KeyedOptions(typeof(IHybridCacheSerializer<T>)) ?? KeyedOptions(typeof(IHybridCacheSerializer<>));
        options ??= IsFieldOnly(typeof(T), []) ? FieldOptions : JsonSerializerOptions.Default;
        return new JsonHybridSerializer<T>(options);
    }

    private JsonSerializerOptions? KeyedOptions(Type key) =>
        _services is IKeyedServiceProvider keyed ? keyed.GetKeyedService(typeof(JsonSerializerOptions), key) as JsonSerializerOptions : null;

    // A type whose data sits in public fields only (a value tuple), or that holds such a type, loses its data
    // with the default JSON options.
    private static bool IsFieldOnly(Type type, HashSet<Type> seen)
    {
        if (type.IsPrimitive || type == typeof(string) || !seen.Add(type))
        {
            return false;
        }

        if (typeof(IEnumerable).IsAssignableFrom(type))
        {
            return type.GetInterfaces()
                .Where(static i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                .Any(i => IsFieldOnly(i.GetGenericArguments()[0], seen));
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        return properties.Length != 0
            ? properties.Any(p => IsFieldOnly(p.PropertyType, seen))
            : type.GetFields(BindingFlags.Public | BindingFlags.Instance).Length != 0;
    }
}
