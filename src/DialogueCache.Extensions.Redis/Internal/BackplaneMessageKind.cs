namespace Dialogue.Caching.Redis.Internal;

/// <summary>What happened on the node that sent a backplane message.</summary>
internal enum BackplaneMessageKind : byte
{
    /// <summary>A key was set: other nodes drop their copy.</summary>
    Set = (byte)'S',

    /// <summary>A key was invalidated.</summary>
    Remove = (byte)'R',

    /// <summary>Keys containing a substring were invalidated.</summary>
    Pattern = (byte)'P',

    /// <summary>The cache was cleared.</summary>
    Clear = (byte)'C',
}
