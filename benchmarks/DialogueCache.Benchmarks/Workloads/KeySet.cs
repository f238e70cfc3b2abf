using System.Globalization;

namespace Dialogue.Caching.Benchmarks.Workloads;

/// <summary>
/// Keys and values shaped like DialogueCache's own (<c>DialogueKey.Create(character, context, prompt)</c>
/// gives <c>character|context|t:prompt</c>): 45-50 characters, so hashing costs what it costs in use.
/// Key <c>i</c> belongs to character <c>i % 100</c> and context <c>i % 10</c>, which gives
/// <c>InvalidatePattern</c> patterns matching 1 % and 10 % of the keys.
/// </summary>
internal static class KeySet
{
    public const int Characters = 100;
    public const int Contexts = 10;

    /// <summary>Key <paramref name="id"/>: <c>npc:character07|context3|t:what about 0001234</c>.</summary>
    public static string Key(int id) => string.Create(CultureInfo.InvariantCulture,
        $"npc:character{id % Characters:D2}|context{id % Contexts}|t:what about {id:D7}");

    /// <summary>A pattern that matches the keys of one character: 1 % of them.</summary>
    public static string CharacterPattern(int character) => string.Create(CultureInfo.InvariantCulture, $"npc:character{character:D2}|");

    /// <summary>A pattern that matches the keys of one context: 10 % of them.</summary>
    public static string ContextPattern(int context) => string.Create(CultureInfo.InvariantCulture, $"|context{context}|");

    /// <summary>A reply of about 100 characters, distinct per key.</summary>
    public static string Value(int id) => string.Create(CultureInfo.InvariantCulture,
        $"Reply {id:D7}: the blacksmith wipes his hands and says the forge has been cold since the winter began.");

    public static string[] Keys(int count, int offset = 0)
    {
        var keys = new string[count];
        for (var i = 0; i < count; i++)
        {
            keys[i] = Key(offset + i);
        }

        return keys;
    }

    public static string[] Values(int count)
    {
        var values = new string[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = Value(i);
        }

        return values;
    }

    /// <summary>The bytes a string occupies on a 64-bit runtime: header, method table, length, UTF-16 chars and terminator, 8-aligned.</summary>
    public static long StringBytes(string text) => (20 + (2L * (text.Length + 1)) + 7) & ~7L;
}
