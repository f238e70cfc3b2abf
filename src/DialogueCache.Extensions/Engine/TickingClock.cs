using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Dialogue.Caching.Engine;

/// <summary>
/// A copy of a coarse monotonic clock kept in memory and refreshed about every millisecond by one background
/// thread, so that a cache hit checks its entry's expiry with a memory read instead of a clock call (reading
/// <see cref="Environment.TickCount64"/> costs a few nanoseconds, a third of what the rest of a hit costs).
/// </summary>
/// <remarks>
/// <para>The value lags the clock by at most one refresh period while the refreshing thread gets a CPU (about
/// a millisecond; <see cref="Environment.TickCount64"/> itself moves in steps of 1-4 ms on Linux). Under heavy CPU
/// overload the lag can grow: an entry may then be served for that long past its expiry, never longer.</para>
/// <para>The thread runs only while the clock is read: when a whole second of refreshes passes without a read it
/// parks, and the next reader reads the clock itself and wakes it. Marking the clock as read costs one write per
/// refresh period in the whole process (the first read after a refresh), not one per read.</para>
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "The shared clock and its thread live as long as the process; test clocks never wait on the semaphore.")]
internal sealed class TickingClock
{
    /// <summary>Refreshes without a read after which the thread parks.</summary>
    internal const int IdleTicksBeforeParking = 1000;

    // The clock was read since the last refresh / was not / the refreshing thread is parked.
    private const int Read = 0;
    private const int Unread = 1;
    private const int Parked = 2;

    private readonly Func<long> _source;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly bool _ownsThread;
    private readonly Lock _threadStart = new();
    private Thread? _thread;
    private long _now;
    private int _state = Parked;
    private int _idleTicks;

    /// <summary>Creates a clock over <paramref name="source"/>; with <paramref name="ownsThread"/> false, nothing refreshes it
    /// but calls to <see cref="Tick"/> (tests drive it that way).</summary>
    internal TickingClock(Func<long> source, bool ownsThread)
    {
        _source = source;
        _ownsThread = ownsThread;
        _now = source();
    }

    /// <summary>The process's clock: <see cref="Environment.TickCount64"/> in <see cref="TimeSpan"/> ticks.</summary>
    public static TickingClock System { get; } = new(static () => Environment.TickCount64 * TimeSpan.TicksPerMillisecond, ownsThread: true);

    /// <summary>Now, at most about one refresh period behind the source; never goes back.</summary>
    public long Now
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _state) == Read ? Volatile.Read(ref _now) : NowSlow();
    }

    /// <summary>Whether the refreshing thread is parked (nobody read the clock for a while).</summary>
    internal bool IsParked => Volatile.Read(ref _state) == Parked;

    /// <summary>Refreshes the value; false when the clock went unread long enough that the refresher should park.</summary>
    internal bool Tick()
    {
        Volatile.Write(ref _now, Math.Max(_source(), Volatile.Read(ref _now)));
        if (Interlocked.CompareExchange(ref _state, Unread, Read) == Read)
        {
            _idleTicks = 0;
            return true;
        }

        if (++_idleTicks < IdleTicksBeforeParking)
        {
            return true;
        }

        // A reader may mark the clock read just now: then it goes on ticking.
        _idleTicks = 0;
        return Interlocked.CompareExchange(ref _state, Parked, Unread) != Unread;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private long NowSlow()
    {
        if (Interlocked.CompareExchange(ref _state, Read, Unread) != Parked)
        {
            // It was Unread (now marked Read) or someone else marked it: the value is fresh.
            return Volatile.Read(ref _now);
        }

        // Parked: the value may be old. Read the source, publish it, then wake the refresher.
        var now = _source();
        long seen;
        while ((seen = Volatile.Read(ref _now)) < now && Interlocked.CompareExchange(ref _now, now, seen) != seen)
        {
        }

        if (Interlocked.CompareExchange(ref _state, Read, Parked) == Parked && _ownsThread)
        {
            StartOrWakeThread();
        }

        return Math.Max(now, seen);
    }

    private void StartOrWakeThread()
    {
        lock (_threadStart)
        {
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "DialogueCache clock" };
                _thread.Start();
                return;
            }
        }

        _wake.Release();
    }

    private void Run()
    {
        while (true)
        {
            Thread.Sleep(1);
            if (!Tick())
            {
                _wake.Wait();
            }
        }
    }
}
