using System.Globalization;

namespace Dialogue.Caching.Benchmarks.Memory;

/// <summary>The process's resident memory and its peak, from /proc on Linux (the peak can be reset there).</summary>
internal static class ProcessMemory
{
    /// <summary>Resets the peak resident set to the current one (Linux: <c>echo 5 &gt; /proc/self/clear_refs</c>); false elsewhere.</summary>
    public static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>Current resident set size in bytes.</summary>
    public static long Resident() => ReadStatus("VmRSS:") ?? Environment.WorkingSet;

    /// <summary>Peak resident set size in bytes since the process started or the last <see cref="TryResetPeak"/>.</summary>
    public static long PeakResident() => ReadStatus("VmHWM:") ?? System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64;

    private static long? ReadStatus(string field)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var kilobytes = line[field.Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }
}
