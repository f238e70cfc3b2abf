using System.Text;
using Dialogue.Caching.Redis.Internal;

namespace Dialogue.Caching.IntegrationTests.Redis.Internal;

/// <summary>What goes over the wire: entry values, backplane messages, key names and scan patterns.</summary>
public sealed class WireFormatTests
{
    [Theory]
    [InlineData("k", "v")]
    [InlineData("npc:ключ|ctx|t:héllo 🙂", "")]
    public void EntryCodec_String_RoundTripsAsText(string key, string value)
    {
        Assert.True(EntryCodec.TryDecode(EntryCodec.Encode(key, value), out var storedKey, out var stored));

        Assert.Equal(key, storedKey);
        Assert.Equal(value, Assert.IsType<string>(stored));
    }

    [Fact]
    public void EntryCodec_Bytes_RoundTripAsBytes()
    {
        byte[] value = [0, 255, 1, 2];

        Assert.True(EntryCodec.TryDecode(EntryCodec.Encode("k", value), out _, out var stored));

        Assert.Equal(value, Assert.IsType<byte[]>(stored));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { (byte)'x', 1, 0, 0, 0, (byte)'k' })]
    [InlineData(new byte[] { (byte)'s', 9, 0, 0, 0, (byte)'k' })]
    [InlineData(new byte[] { (byte)'s', 0, 0, 0, 0 })]
    [InlineData(new byte[] { (byte)'s', 255, 255, 255, 255, (byte)'k' })]
    public void EntryCodec_ForeignOrTruncatedBytes_AreRefused(byte[] data) =>
        Assert.False(EntryCodec.TryDecode(data, out _, out _));

    [Theory]
    [InlineData('S', "k")]
    [InlineData('R', "ключ")]
    [InlineData('P', "npc:smith|")]
    [InlineData('C', "")]
    public void BackplaneMessage_RoundTrips(char kind, string argument)
    {
        var message = new BackplaneMessage((BackplaneMessageKind)kind, Guid.NewGuid(), argument);

        Assert.True(BackplaneMessage.TryDecode(message.Encode(), out var decoded));

        Assert.Equal(message, decoded);
    }

    [Fact]
    public void BackplaneMessage_ForeignOrEmptyArgument_IsRefused()
    {
        var valid = new BackplaneMessage(BackplaneMessageKind.Set, Guid.NewGuid(), "k").Encode();
        var wrongVersion = (byte[])valid.Clone();
        wrongVersion[0] = 2;
        var unknownKind = (byte[])valid.Clone();
        unknownKind[1] = (byte)'Z';

        Assert.False(BackplaneMessage.TryDecode(wrongVersion, out _));
        Assert.False(BackplaneMessage.TryDecode(unknownKind, out _));
        Assert.False(BackplaneMessage.TryDecode(valid.AsSpan(0, 10), out _));
        Assert.False(BackplaneMessage.TryDecode(new BackplaneMessage(BackplaneMessageKind.Remove, Guid.NewGuid(), "").Encode(), out _));
    }

    [Fact]
    public void RedisKeyspace_KeyFor_IsPrefixPlusSha256OfTheKeyAndStable()
    {
        var keyspace = new RedisKeyspace("app:", "npc");
        var longKey = new string('x', 5000);

        var key = keyspace.KeyFor("npc:smith|forge|t:hello").ToString();

        Assert.StartsWith("app:npc:", key, StringComparison.Ordinal);
        Assert.Equal(RedisKeyspace.HashLength, key.Length - "app:npc:".Length);
        Assert.Equal(key, keyspace.KeyFor("npc:smith|forge|t:hello").ToString());
        Assert.NotEqual(key, keyspace.KeyFor("npc:smith|forge|t:hellO").ToString());
        Assert.Equal("app:npc:" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(longKey))).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            keyspace.KeyFor(longKey).ToString());
    }

    [Fact]
    public void RedisKeyspace_GlobCharactersInPrefixOrName_AreEscapedInTheScanPattern()
    {
        var keyspace = new RedisKeyspace("a*[b]?:", @"c\d^");

        Assert.Equal(@"a\*\[b\]\?:c\\d\^:" + new string('?', RedisKeyspace.HashLength), keyspace.ScanPattern);
        Assert.Equal("a*[b]?:c\\d^:backplane", keyspace.ChannelName);
    }
}
