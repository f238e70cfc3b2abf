using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace Dialogue.Caching.Engine;

/// <summary>
/// What an entry set through the <c>IMemoryCache</c> or <c>IDistributedCache</c> face may carry beyond a
/// value and an absolute expiry: a sliding window, change tokens, a priority and eviction callbacks. Entries
/// of the string API have none (<see cref="CacheNode.Options"/> is null), so a plain hit pays one null check.
/// </summary>
internal sealed class EntryOptions
{
    private readonly Lock _registrationsSync = new();
    private long _lastAccess;
    private List<IDisposable>? _tokenRegistrations;
    private bool _released;

    public EntryOptions(long slidingTicks, long now, IReadOnlyList<IChangeToken>? tokens,
        IReadOnlyList<PostEvictionCallbackRegistration>? callbacks, CacheItemPriority priority)
    {
        SlidingTicks = slidingTicks;
        _lastAccess = now;
        Tokens = tokens is { Count: > 0 } ? tokens : null;
        Callbacks = callbacks is { Count: > 0 } ? callbacks : null;
        Priority = priority;
    }

    /// <summary>The sliding window in clock ticks, or 0 for none.</summary>
    public long SlidingTicks { get; }

    public IReadOnlyList<IChangeToken>? Tokens { get; }

    public IReadOnlyList<PostEvictionCallbackRegistration>? Callbacks { get; }

    public CacheItemPriority Priority { get; }

    /// <summary>Whether the entry leaves a full cache only when nothing else can.</summary>
    public bool NeverRemove => Priority == CacheItemPriority.NeverRemove;

    /// <summary>Whether removing the entry has work to do afterwards (callbacks to call, registrations to release).</summary>
    public bool NeedsNotification => Callbacks is not null || Tokens is not null;

    /// <summary>When the sliding window ends if the entry is not read again; long.MaxValue without one.</summary>
    public long SlidingDeadline => SlidingTicks == 0 ? long.MaxValue : CacheClock.SaturatingAdd(Volatile.Read(ref _lastAccess), SlidingTicks);

    /// <summary>On a read: false when a token fired or the sliding window ended; otherwise restarts the window.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryTouch(long now)
    {
        if (ExpiredCause(now) is not null)
        {
            return false;
        }

        if (SlidingTicks != 0)
        {
            // Racing readers write nearly the same instant; any of them is right.
            Volatile.Write(ref _lastAccess, now);
        }

        return true;
    }

    /// <summary>Restarts the sliding window without reading the value (IDistributedCache.Refresh).</summary>
    public void Refresh(long now)
    {
        if (SlidingTicks != 0)
        {
            Volatile.Write(ref _lastAccess, now);
        }
    }

    /// <summary>Why the entry is expired at <paramref name="now"/> by its options, or null when it is not.</summary>
    public RemovalCause? ExpiredCause(long now)
    {
        if (Tokens is not null)
        {
            foreach (var token in Tokens)
            {
                if (token.HasChanged)
                {
                    return RemovalCause.TokenExpired;
                }
            }
        }

        return SlidingTicks != 0 && now - Volatile.Read(ref _lastAccess) >= SlidingTicks ? RemovalCause.Expired : null;
    }

    /// <summary>Keeps a token callback registration to release when the entry leaves (at once if it already left).</summary>
    public void AddTokenRegistration(IDisposable registration)
    {
        lock (_registrationsSync)
        {
            if (!_released)
            {
                (_tokenRegistrations ??= []).Add(registration);
                return;
            }
        }

        registration.Dispose();
    }

    /// <summary>Releases the token callback registrations; called once the entry has left the cache.</summary>
    public void ReleaseTokenRegistrations()
    {
        List<IDisposable>? registrations;
        lock (_registrationsSync)
        {
            _released = true;
            registrations = _tokenRegistrations;
            _tokenRegistrations = null;
        }

        registrations?.ForEach(static r => r.Dispose());
    }
}
