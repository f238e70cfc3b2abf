using Dialogue.Caching.Benchmarks.Peers;

namespace Dialogue.Caching.Benchmarks.Suites;

/// <summary>One instance of every peer in <see cref="CachePeers"/>, by name, for a suite's global setup.</summary>
internal sealed class SubjectSet : IDisposable
{
    private readonly Dictionary<string, CacheSubject> _subjects = new(StringComparer.Ordinal);

    public SubjectSet(int capacity, Action<CacheSubject> prepare)
    {
        foreach (var peer in CachePeers.All)
        {
            var subject = peer.Create(capacity);
            prepare(subject);
            _subjects.Add(peer.Name, subject);
        }
    }

    public CacheSubject this[string name] => _subjects[name];

    public void Dispose()
    {
        foreach (var subject in _subjects.Values)
        {
            subject.Dispose();
        }
    }
}
