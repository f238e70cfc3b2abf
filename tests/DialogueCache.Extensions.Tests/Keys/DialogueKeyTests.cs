using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Dialogue.Caching.Tests.Keys;

public class DialogueKeyTests
{
    // Golden values computed outside .NET (Python hashlib + urlsafe_b64encode): keys are persisted by
    // the SQLite and Redis tiers, so the hash encoding must never drift.
    private const string HashOf201LowercaseA = "qS79ghCTc-WPmiBW3uAegH4hbOYHX3BRIHwKn31mblA";
    private const string HashOfHelloTimes50 = "R_cHW02ynZrtkzoeRJ-CH-8KXjxaKHbyh4YFDnzO0Es";

    [Fact]
    public void Create_PlainInputs_ReturnsReadableKey()
    {
        string key = DialogueKey.Create("npc:blacksmith", "forge", "Hello there");

        Assert.Equal("npc:blacksmith|forge|t:hello there", key);
    }

    [Fact]
    public void Create_EmptyContext_ReturnsKeyWithEmptyContextSegment()
    {
        Assert.Equal("npc||t:hi", DialogueKey.Create("npc", "", "hi"));
    }

    [Theory]
    [InlineData("HELLO There")]
    [InlineData("  hello there  ")]
    [InlineData("hello     there")]
    [InlineData("hello \t\n there")]
    [InlineData("\r\nhello\r\nthere\t")]
    [InlineData("hello\u00A0there")]
    [InlineData("hello\u3000there")]
    [InlineData("hello\u2028there")]
    [InlineData("\uFF48\uFF45\uFF4C\uFF4C\uFF4F \uFF34\uFF48\uFF45\uFF52\uFF45")] // full-width "ｈｅｌｌｏ Ｔｈｅｒｅ"
    public void Create_EquivalentPrompts_ReturnEqualKeys(string prompt)
    {
        Assert.Equal("npc|ctx|t:hello there", DialogueKey.Create("npc", "ctx", prompt));
    }

    [Theory]
    [InlineData("\uFB01ne", "fine")] // ligature ﬁ
    [InlineData("caf\u00E9", "cafe\u0301")] // precomposed vs combining accent
    [InlineData("\u2460 step", "1 step")] // circled digit one
    [InlineData("\u216B", "xii")] // roman numeral twelve, then case-folded
    [InlineData("\u00BD", "1\u20442")] // vulgar fraction one half
    public void Create_CompatibilityCharacters_ReturnEqualKeysAfterNfkc(string prompt, string equivalent)
    {
        Assert.Equal(DialogueKey.Create("npc", "ctx", equivalent), DialogueKey.Create("npc", "ctx", prompt));
    }

    [Fact]
    public void Create_CharacterAndContextWithWidthAndWhitespace_AreNormalizedButKeepCase()
    {
        string key = DialogueKey.Create("  \uFF4E\uFF50\uFF43:Smith\t\tJr ", " The   \u3000Forge\n", "hi");

        Assert.Equal("npc:Smith Jr|The Forge|t:hi", key);
    }

    [Theory]
    [InlineData("Npc", "ctx", "npc", "ctx")]
    [InlineData("npc", "Forge", "npc", "forge")]
    [InlineData("npc", "ctx", "npc2", "ctx")]
    [InlineData("npc", "ctx", "npc", "ctx2")]
    [InlineData("npc", "", "npc", " ctx")]
    [InlineData("a b", "c", "ab", "c")]
    public void Create_DifferentCharactersOrContexts_ReturnDifferentKeys(
        string character, string context, string otherCharacter, string otherContext)
    {
        Assert.NotEqual(DialogueKey.Create(character, context, "hi"), DialogueKey.Create(otherCharacter, otherContext, "hi"));
    }

    [Theory]
    [InlineData("hello there", "hello  there!")]
    [InlineData("hello there", "hellothere")]
    [InlineData("stra\u00DFe", "strasse")] // ToLowerInvariant is not full case folding: ß stays ß
    [InlineData("t:x", "x")]
    public void Create_DifferentPrompts_ReturnDifferentKeys(string prompt, string otherPrompt)
    {
        Assert.NotEqual(DialogueKey.Create("npc", "ctx", prompt), DialogueKey.Create("npc", "ctx", otherPrompt));
    }

    [Theory]
    [InlineData("a|b", "c", "p", "a%7Cb|c|t:p")]
    [InlineData("a", "b|c", "p", "a|b%7Cc|t:p")]
    [InlineData("a%7Cb", "c", "p", "a%257Cb|c|t:p")]
    [InlineData("a", "c", "50% off|now", "a|c|t:50%25 off%7Cnow")]
    [InlineData("a\uFF5Cb", "c\uFF05", "p", "a%7Cb|c%25|t:p")] // full-width | and % become | and % under NFKC
    public void Create_SeparatorsAndPercent_AreEscaped(string character, string context, string prompt, string expected)
    {
        Assert.Equal(expected, DialogueKey.Create(character, context, prompt));
    }

    // Each pair would give the same key if segments were joined without escaping.
    [Theory]
    [InlineData("a|b", "c", "p", "a", "b|c", "p")]
    [InlineData("a", "b", "c|t:d", "a", "b|t:c", "d")]
    [InlineData("npc", "ctx", "hi|x|t:bye", "npc", "ctx|t:hi|x", "bye")]
    [InlineData("guard", "", "gate|t:open", "guard|", "gate", "open")]
    [InlineData("a%7Cb", "c", "p", "a|b", "c", "p")]
    [InlineData("a", "b%25", "p", "a", "b%", "p")]
    public void Create_CraftedSeparators_CannotForgeAnotherKey(
        string character, string context, string prompt, string victimCharacter, string victimContext, string victimPrompt)
    {
        string crafted = DialogueKey.Create(character, context, prompt);
        string victim = DialogueKey.Create(victimCharacter, victimContext, victimPrompt);

        Assert.NotEqual(victim, crafted);
        Assert.Equal(2, crafted.Count(c => c == '|'));
        Assert.Equal(2, victim.Count(c => c == '|'));
    }

    [Fact]
    public void Create_LongPrompt_ReturnsGoldenHash()
    {
        string key = DialogueKey.Create("npc", "ctx", new string('a', 201));

        Assert.Equal("npc|ctx|h:" + HashOf201LowercaseA, key);
    }

    [Fact]
    public void Create_LongPromptNeedingNormalization_HashesTheNormalizedText()
    {
        // 50 × "hello " is 300 chars; normalized (trimmed, one space between words) it is 299.
        string prompt = "\t" + string.Concat(Enumerable.Repeat("HELLO \n ", 50));

        Assert.Equal("npc|ctx|h:" + HashOfHelloTimes50, DialogueKey.Create("npc", "ctx", prompt));
    }

    [Fact]
    public void Create_LongPrompt_IsDeterministicAndMatchesSha256OfUtf8()
    {
        string prompt = string.Concat(Enumerable.Repeat("Schöne Grüße | 100% ✓ 😀 ", 12));
        string normalized = string.Join(' ', prompt.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        string expectedHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        string first = DialogueKey.Create("npc", "ctx", prompt);
        string second = DialogueKey.Create("npc", "ctx", prompt);

        Assert.Equal("npc|ctx|h:" + expectedHash, first);
        Assert.Equal(first, second);
        Assert.Matches(new Regex("^npc\\|ctx\\|h:[A-Za-z0-9_-]{43}$"), first);
    }

    [Fact]
    public void Create_LongPromptsDifferingInLastChar_ReturnDifferentKeys()
    {
        string prompt = new string('a', 300);

        Assert.NotEqual(DialogueKey.Create("npc", "ctx", prompt + "b"), DialogueKey.Create("npc", "ctx", prompt + "c"));
    }

    [Fact]
    public void Create_LongPromptsDifferingInCase_ReturnEqualKeys()
    {
        Assert.Equal(DialogueKey.Create("npc", "ctx", new string('A', 201)), DialogueKey.Create("npc", "ctx", new string('a', 201)));
    }

    [Fact]
    public void Create_PromptOf200Chars_StaysText()
    {
        string prompt = new string('a', 200);

        Assert.Equal("npc|ctx|t:" + prompt, DialogueKey.Create("npc", "ctx", prompt));
    }

    [Fact]
    public void Create_PromptOf201Chars_IsHashed()
    {
        Assert.StartsWith("npc|ctx|h:", DialogueKey.Create("npc", "ctx", new string('a', 201)), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_PromptOver200CharsOnlyBeforeNormalization_StaysText()
    {
        string prompt = "   " + new string('a', 100) + "  \t  " + new string('b', 99) + "\n";

        Assert.Equal("npc|ctx|t:" + new string('a', 100) + " " + new string('b', 99), DialogueKey.Create("npc", "ctx", prompt));
    }

    [Fact]
    public void Create_PromptOf200CharsWithSeparators_CountsLengthBeforeEscaping()
    {
        string prompt = new string('|', 200);

        Assert.Equal("npc|ctx|t:" + string.Concat(Enumerable.Repeat("%7C", 200)), DialogueKey.Create("npc", "ctx", prompt));
    }

    [Fact]
    public void Create_TextPromptLookingLikeAHashedOne_DoesNotCollide()
    {
        string hashed = DialogueKey.Create("npc", "ctx", new string('a', 201));
        string forgedPrompt = hashed["npc|ctx|".Length..]; // "h:" + 43 chars, short enough to stay text

        string forged = DialogueKey.Create("npc", "ctx", forgedPrompt);

        Assert.NotEqual(hashed, forged);
        Assert.Equal("npc|ctx|t:" + forgedPrompt.ToLowerInvariant(), forged);
    }

    [Fact]
    public void Create_InputsLargerThanStackBuffers_ProduceTheSameKeyShape()
    {
        string character = new string('c', 600) + "|";
        string context = new string('x', 600);
        string prompt = string.Concat(Enumerable.Repeat("Grüße ", 200)); // more than 512 UTF-8 bytes

        string key = DialogueKey.Create(character, context, prompt);

        Assert.StartsWith(new string('c', 600) + "%7C|" + context + "|h:", key, StringComparison.Ordinal);
        Assert.Equal(600 + 3 + 1 + 600 + 1 + 2 + 43, key.Length);
        Assert.Equal(DialogueKey.Create("npc", "ctx", prompt)[^43..], key[^43..]);
    }

    [Fact]
    public void Create_NullCharacter_ThrowsArgumentNullException()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => DialogueKey.Create(null!, "ctx", "hi"));

        Assert.Equal("character", ex.ParamName);
    }

    [Fact]
    public void Create_NullContext_ThrowsArgumentNullException()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => DialogueKey.Create("npc", null!, "hi"));

        Assert.Equal("context", ex.ParamName);
    }

    [Fact]
    public void Create_NullPrompt_ThrowsArgumentNullException()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => DialogueKey.Create("npc", "ctx", null!));

        Assert.Equal("prompt", ex.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t\r\n")]
    [InlineData("\u00A0")]
    [InlineData("\u3000\u2028")]
    public void Create_EmptyOrWhiteSpaceCharacter_ThrowsArgumentException(string character)
    {
        // Assert.Throws is exact: an ArgumentNullException would not pass.
        var ex = Assert.Throws<ArgumentException>(() => DialogueKey.Create(character, "ctx", "hi"));

        Assert.Equal("character", ex.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t\r\n")]
    [InlineData("\u00A0\u3000")]
    public void Create_EmptyOrWhiteSpacePrompt_ThrowsArgumentException(string prompt)
    {
        var ex = Assert.Throws<ArgumentException>(() => DialogueKey.Create("npc", "ctx", prompt));

        Assert.Equal("prompt", ex.ParamName);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("\t\u00A0\n")]
    public void Create_WhiteSpaceContext_EqualsEmptyContext(string context)
    {
        Assert.Equal("npc||t:hi", DialogueKey.Create("npc", context, "hi"));
    }

    // The lone surrogates are built here: xunit would turn them into U+FFFD in InlineData.
    [Theory]
    [InlineData("character")]
    [InlineData("context")]
    [InlineData("prompt")]
    public void Create_LoneSurrogate_ThrowsArgumentExceptionNamingTheArgument(string paramName)
    {
        string invalid = "h\u00E9" + '\uD83D';
        string character = paramName == "character" ? invalid : "npc";
        string context = paramName == "context" ? invalid : "ctx";
        string prompt = paramName == "prompt" ? invalid : "hi";

        var ex = Assert.Throws<ArgumentException>(() => DialogueKey.Create(character, context, prompt));

        Assert.Equal(paramName, ex.ParamName);
    }

    [Fact]
    public void CharacterPattern_PlainCharacter_ReturnsCharacterAndSeparator()
    {
        string pattern = DialogueKey.CharacterPattern("npc:blacksmith");

        Assert.Equal("npc:blacksmith|", pattern);
        Assert.StartsWith(pattern, DialogueKey.Create("npc:blacksmith", "forge", "hello"), StringComparison.Ordinal);
    }

    [Fact]
    public void CharacterPattern_CharacterNeedingNormalization_MatchesItsKeys()
    {
        string pattern = DialogueKey.CharacterPattern(" \uFF4E\uFF50\uFF43  a|b% ");

        Assert.Equal("npc a%7Cb%25|", pattern);
        Assert.StartsWith(pattern, DialogueKey.Create("npc a|b%", "ctx", "hi"), StringComparison.Ordinal);
    }

    [Fact]
    public void CharacterPattern_OtherCharacter_IsNotContainedInItsKeys()
    {
        string pattern = DialogueKey.CharacterPattern("npc:blacksmith");

        Assert.DoesNotContain(pattern, DialogueKey.Create("npc:blacksmith2", "forge", "npc:blacksmith"), StringComparison.Ordinal);
        Assert.DoesNotContain(pattern, DialogueKey.Create("npc:Blacksmith", "forge", "hello"), StringComparison.Ordinal);
    }

    [Fact]
    public void CharacterPattern_SuffixOfAnotherName_AlsoMatchesThatName()
    {
        // Documented limitation: InvalidatePattern is substring-based.
        Assert.Contains(DialogueKey.CharacterPattern("smith"), DialogueKey.Create("blacksmith", "forge", "hi"), StringComparison.Ordinal);
    }

    [Fact]
    public void CharacterPattern_Null_ThrowsArgumentNullException()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => DialogueKey.CharacterPattern(null!));

        Assert.Equal("character", ex.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \t\u3000")]
    [InlineData(null)] // stands for a lone surrogate, which xunit would mangle in InlineData
    public void CharacterPattern_EmptyWhiteSpaceOrInvalid_ThrowsArgumentException(string? character)
    {
        string value = character ?? "x" + '\uDC00';

        var ex = Assert.Throws<ArgumentException>(() => DialogueKey.CharacterPattern(value));

        Assert.Equal("character", ex.ParamName);
    }

    // The pairs mix independent triples, re-splits of one triple's segments at other '|' positions,
    // escape look-alikes ("|" vs "%7C", "%" vs "%25") and equivalent spellings, so both outcomes occur.
    [Property(MaxTest = 2000)]
    public Property Create_RandomPairs_KeysEqualExactlyWhenNormalizedTriplesEqual() =>
        Prop.ForAll(KeyGenerators.Pairs.ToArbitrary(), pair =>
        {
            bool sameNormalized = Reference.Normalize(pair.First) == Reference.Normalize(pair.Second);
            bool sameKey = DialogueKey.Create(pair.First.Character, pair.First.Context, pair.First.Prompt)
                == DialogueKey.Create(pair.Second.Character, pair.Second.Context, pair.Second.Prompt);

            return (sameNormalized == sameKey)
                .Label($"{pair.Relation}: {pair.First} vs {pair.Second}")
                .Classify(sameNormalized, "equal normalized triples")
                .Classify(!sameNormalized, "distinct normalized triples")
                .Classify(pair.Relation == "resplit", "resplit")
                .Classify(Reference.Normalize(pair.First).Item3.Length > 200, "hashed prompt");
        });

    [Property(MaxTest = 500)]
    public Property Create_EquivalentSpellings_ReturnEqualKeys() =>
        Prop.ForAll(KeyGenerators.Triples.SelectMany(KeyGenerators.Equivalent, (t, e) => (t, e)).ToArbitrary(), pair =>
            (Reference.Normalize(pair.t) == Reference.Normalize(pair.e)).Label("generator kept the normalized form")
                .And(DialogueKey.Create(pair.t.Character, pair.t.Context, pair.t.Prompt)
                    == DialogueKey.Create(pair.e.Character, pair.e.Context, pair.e.Prompt)));

    [Property(MaxTest = 500)]
    public Property Create_RandomTriples_MatchReferenceKey() =>
        Prop.ForAll(KeyGenerators.Triples.ToArbitrary(), t =>
            DialogueKey.Create(t.Character, t.Context, t.Prompt) == Reference.Key(t));

    public sealed record Triple(string Character, string Context, string Prompt);

    public sealed record TriplePair(Triple First, Triple Second, string Relation);

    // A deliberately naive model of the specification, written without spans or shared helpers.
    private static class Reference
    {
        public static (string, string, string) Normalize(Triple t) =>
            (Collapse(t.Character), Collapse(t.Context), Collapse(t.Prompt).ToLowerInvariant());

        public static bool IsValid(Triple t) => Collapse(t.Character).Length > 0 && Collapse(t.Prompt).Length > 0;

        public static string Key(Triple t)
        {
            var (character, context, prompt) = Normalize(t);
            string promptPart = prompt.Length <= 200
                ? "t:" + Escape(prompt)
                : "h:" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(prompt)))
                    .TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return Escape(character) + "|" + Escape(context) + "|" + promptPart;
        }

        // string.Split with no separators splits on char.IsWhiteSpace.
        private static string Collapse(string value) =>
            string.Join(' ', value.Normalize(NormalizationForm.FormKC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

        private static string Escape(string value) => value.Replace("%", "%25").Replace("|", "%7C");
    }

    private static class KeyGenerators
    {
        // Separators, escape look-alikes, the prompt markers, white space of several kinds, and
        // characters NFKC or case-folding change (full-width, ligature, combining accent, final sigma).
        private static readonly string[] Pieces =
        [
            "a", "A", "b", "B", "z", "7", "C", "|", "%", "%7C", "%25", "7C", ":", "t:", "h:",
            " ", "  ", "\t", "\n", "\r\n", "\u00A0", "\u3000", "\u2028",
            "\uFF5C", "\uFF05", "\uFF21", "\uFF41", "\uFB01", "\u00E9", "e\u0301", "\u00C9",
            "\u03A3", "\u03C3", "\u03C2", "\u0130", "\u00DF", "\U0001F600",
        ];

        private static readonly (string From, string To)[] LookAlikes =
        [
            ("|", "%7C"), ("%7C", "|"), ("%", "%25"), ("%25", "%"), ("|", "\uFF5C"), ("t:", "h:"), (" ", ""),
        ];

        public static Gen<Triple> Triples { get; } = TriplesOf(Gen.Elements(Pieces));

        // Triples where '|' is frequent, so that re-splitting them has somewhere to cut.
        public static Gen<Triple> BarredTriples { get; } =
            TriplesOf(Gen.Frequency((3, Gen.Elements(Pieces)), (1, Gen.Constant("|"))));

        public static Gen<TriplePair> Pairs { get; } =
            Gen.OneOf(
                from first in Triples
                from second in Triples
                select new TriplePair(first, second, "independent"),
                from first in BarredTriples
                from second in Resplit(first)
                select new TriplePair(first, second, "resplit"),
                from first in Triples
                from second in LookAlike(first)
                select new TriplePair(first, second, "look-alike"),
                from first in Triples
                from second in Equivalent(first)
                select new TriplePair(first, second, "equivalent"))
            .Where(pair => Reference.IsValid(pair.Second));

        // Same spelling up to white space, width and (prompt only) ASCII case.
        public static Gen<Triple> Equivalent(Triple t) =>
            from character in Respell(t.Character, foldCase: false)
            from context in Respell(t.Context, foldCase: false)
            from prompt in Respell(t.Prompt, foldCase: true)
            select new Triple(character, context, prompt);

        private static Gen<Triple> TriplesOf(Gen<string> piece) =>
            (from character in Text(piece, 8)
             from context in Text(piece, 8)
             from prompt in Prompt(piece)
             select new Triple(character, context, prompt))
            .Where(Reference.IsValid);

        private static Gen<string> Text(Gen<string> piece, int maxPieces) =>
            from count in Gen.Choose(0, maxPieces)
            from pieces in piece.ListOf(count)
            select string.Concat(pieces);

        // Mostly short prompts, some around the 200-char limit so both text and hash forms occur.
        private static Gen<string> Prompt(Gen<string> piece) =>
            Gen.Frequency(
                (3, Text(piece, 12)),
                (1, from head in Text(piece, 6)
                    from fill in Gen.Choose(180, 215)
                    from tail in Text(piece, 6)
                    select head + new string('w', fill) + tail));

        // Joins the segments with '|' and cuts at two other '|' positions: the classic forging attempt.
        private static Gen<Triple> Resplit(Triple t)
        {
            string joined = t.Character + "|" + t.Context + "|" + t.Prompt;
            int[] bars = Enumerable.Range(0, joined.Length).Where(i => joined[i] == '|').ToArray();
            var original = (t.Character.Length, t.Character.Length + 1 + t.Context.Length);
            var cuts = (from i in bars from j in bars where i < j && (i, j) != original select (i, j)).ToArray();
            return cuts.Length == 0
                ? Gen.Constant(t)
                : Gen.Elements(cuts).Select(cut =>
                    new Triple(joined[..cut.i], joined[(cut.i + 1)..cut.j], joined[(cut.j + 1)..]));
        }

        private static Gen<Triple> LookAlike(Triple t) =>
            from segment in Gen.Choose(0, 2)
            from swap in Gen.Elements(LookAlikes)
            select segment switch
            {
                0 => t with { Character = t.Character.Replace(swap.From, swap.To, StringComparison.Ordinal) },
                1 => t with { Context = t.Context.Replace(swap.From, swap.To, StringComparison.Ordinal) },
                _ => t with { Prompt = t.Prompt.Replace(swap.From, swap.To, StringComparison.Ordinal) },
            };

        private static Gen<string> Respell(string value, bool foldCase) =>
            from lead in Gen.Elements("", " ", "\t\n", "\u3000")
            from trail in Gen.Elements("", " ", "\r\n", "\u00A0")
            from space in Gen.Elements(" ", "  ", "\t", "\n \t", "\u3000", "\u00A0")
            from wide in Gen.Elements(false, true)
            from upper in Gen.Elements(false, foldCase)
            select lead + Rewrite(value, space, wide, upper) + trail;

        private static string Rewrite(string value, string space, bool wide, bool upper)
        {
            var builder = new StringBuilder();
            foreach (char c in value)
            {
                char letter = upper && c is >= 'a' and <= 'z' ? (char)(c - 32) : c;
                if (c == ' ')
                {
                    builder.Append(space);
                }
                else if (wide && (char.IsAsciiLetterOrDigit(letter) || letter is '|' or '%' or ':'))
                {
                    builder.Append((char)(letter + 0xFEE0)); // the full-width form, which NFKC maps back
                }
                else
                {
                    builder.Append(letter);
                }
            }

            return builder.ToString();
        }
    }
}
