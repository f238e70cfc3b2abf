using Dialogue.Caching.Benchmarks.Workloads;

namespace Dialogue.Caching.Benchmarks.HitRatio;

/// <summary>
/// The hit-ratio traces of issue 4: 1,000,000 Zipf requests over 100,000 keys, and the same requests with
/// one-off scans interleaved.
/// </summary>
internal static class TraceBuilder
{
    public const int Keys = 100_000;
    public const int Requests = 1_000_000;

    /// <summary>A scan starts after every this many Zipf requests...</summary>
    public const int ScanEvery = 10_000;

    /// <summary>...and reads this many keys that no other request ever reads (ids from <see cref="Keys"/> up).</summary>
    public const int ScanLength = 2_000;

    /// <summary>Key ids a trace with scans uses at most.</summary>
    public const int MaxKeyId = Keys + (Requests / ScanEvery * ScanLength);

    public static Trace Zipf(double exponent, int seed) =>
        new($"Zipf({exponent:0.0})", ZipfGenerator.Generate(Keys, exponent, Requests, seed), null);

    /// <summary>
    /// <paramref name="zipf"/>'s requests with a run of <see cref="ScanLength"/> never-repeated keys after every
    /// <see cref="ScanEvery"/> of them: 100 scans, 200,000 scan requests, 1/6 (16.7 %) of the 1,200,000.
    /// </summary>
    public static Trace WithScans(Trace zipf)
    {
        var requests = new List<int>(zipf.Requests.Length + (zipf.Requests.Length / ScanEvery * ScanLength));
        var isScan = new List<bool>(requests.Capacity);
        var nextScanKey = Keys;
        for (var i = 0; i < zipf.Requests.Length; i++)
        {
            requests.Add(zipf.Requests[i]);
            isScan.Add(false);
            if ((i + 1) % ScanEvery == 0)
            {
                for (var s = 0; s < ScanLength; s++)
                {
                    requests.Add(nextScanKey++);
                    isScan.Add(true);
                }
            }
        }

        return new Trace(zipf.Name + " + scans", requests.ToArray(), isScan.ToArray());
    }
}
