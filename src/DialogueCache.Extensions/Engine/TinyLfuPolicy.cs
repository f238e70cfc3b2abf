namespace Dialogue.Caching.Engine;

/// <summary>
/// W-TinyLFU (Einziger, Friedman and Manes, 2017; Caffeine's policy): a small LRU admission window (1 % of the
/// capacity) in front of a segmented LRU main space (15 % probation, 85 % protected), and a frequency sketch
/// of requests (hits and misses) that decides admission. A new entry always enters, into the window; when the window overflows, its oldest
/// entry competes with the main space's victim and the one seen less often recently leaves. One-off keys (a
/// scan) die in the window or on probation without displacing the frequently used ones; keys read again on
/// probation are promoted to the protected segment.
/// </summary>
/// <remarks>
/// Unlike Caffeine, the window does not resize itself by hill climbing: it stays at 1 %, which suits the
/// frequency-skewed workloads a dialogue cache sees. The sketch counts requests only, not writes: a miss
/// followed by its Set is one request, so a key seen once is not mistaken for one seen twice (+0.4 to +0.9
/// points on the Zipf traces of the benchmarks), and an 85 % protected segment keeps proven entries longer
/// than Caffeine's 80 % (+0.4 to +0.7 points). NeverRemove entries sit outside the segments and are evicted
/// only when nothing else is left.
/// </remarks>
internal sealed class TinyLfuPolicy : IEvictionPolicy
{
    private const byte Window = 1;
    private const byte Probation = 2;
    private const byte Protected = 3;
    private const byte Pinned = 4;

    private readonly int _windowMax;
    private readonly int _mainMax;
    private readonly int _protectedMax;
    private readonly FrequencySketch _sketch;
    private NodeList _window;
    private NodeList _probation;
    private NodeList _protected;
    private NodeList _pinned;

    public TinyLfuPolicy(int maxSize)
    {
        _windowMax = Math.Max(1, maxSize / 100);
        _mainMax = Math.Max(0, maxSize - _windowMax);
        _protectedMax = (int)(_mainMax * 85L / 100);
        _sketch = new FrequencySketch(maxSize);
    }

    public void OnAdded(CacheNode node)
    {
        if (node.Options is { NeverRemove: true })
        {
            node.Segment = Pinned;
            _pinned.PushFront(node);
            return;
        }

        node.Segment = Window;
        _window.PushFront(node);

        // While the main space has room, the window's overflow moves there without a contest.
        while (_window.Count > _windowMax && _probation.Count + _protected.Count < _mainMax)
        {
            MoveToProbation(_window.Tail!);
        }
    }

    public void OnAccessed(CacheNode node)
    {
        _sketch.Increment(node.Hash);
        switch (node.Segment)
        {
            case Window:
                _window.MoveToFront(node);
                break;
            case Probation:
                // Read again while on probation: it earned a protected place; the protected segment's oldest
                // goes back on probation if that segment is full.
                _probation.Unlink(node);
                node.Segment = Protected;
                _protected.PushFront(node);
                if (_protected.Count > _protectedMax)
                {
                    var demoted = _protected.Tail!;
                    _protected.Unlink(demoted);
                    demoted.Segment = Probation;
                    _probation.PushFront(demoted);
                }

                break;
            case Protected:
                _protected.MoveToFront(node);
                break;
            default:
                _pinned.MoveToFront(node);
                break;
        }
    }

    public void OnMissed(int hash) => _sketch.Increment(hash);

    public void OnRemoved(CacheNode node)
    {
        ListOf(node.Segment).Unlink(node);
        node.Segment = 0;
    }

    public CacheNode? SelectVictim()
    {
        var victim = _probation.Tail ?? _protected.Tail;
        var candidate = _window.Count > _windowMax ? _window.Tail : null;
        if (candidate is null)
        {
            return victim ?? _window.Tail ?? _pinned.Tail;
        }

        if (victim is null)
        {
            return candidate;
        }

        // Admission: the window's oldest enters the main space only if it was seen more often than the entry
        // it would displace; ties keep the incumbent (a scan's keys, seen once, never win).
        if (_sketch.Frequency(candidate.Hash) > _sketch.Frequency(victim.Hash))
        {
            MoveToProbation(candidate);
            return victim;
        }

        return candidate;
    }

    public void Clear(Action<CacheNode> forEach)
    {
        _window.Clear(forEach);
        _probation.Clear(forEach);
        _protected.Clear(forEach);
        _pinned.Clear(forEach);
        _sketch.Clear();
    }

    private void MoveToProbation(CacheNode node)
    {
        _window.Unlink(node);
        node.Segment = Probation;
        _probation.PushFront(node);
    }

    private ref NodeList ListOf(byte segment)
    {
        switch (segment)
        {
            case Window: return ref _window;
            case Probation: return ref _probation;
            case Protected: return ref _protected;
            default: return ref _pinned;
        }
    }
}
