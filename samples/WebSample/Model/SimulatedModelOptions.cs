using System.ComponentModel.DataAnnotations;

namespace WebSample.Model;

/// <summary>Settings of the simulated NPC model (<c>WebSample:Model:Simulated</c>).</summary>
internal sealed class SimulatedModelOptions
{
    /// <summary>
    /// How long every model call takes (0 to 1 minute; default 400 ms, a typical small hosted model), so a miss
    /// costs what a real call would and the effect of caching shows. Tests set it to zero.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>The model id reported in metadata; part of every cache key, so a different model never gets these replies.</summary>
    [Required]
    [MinLength(1)]
    public string ModelId { get; set; } = "simulated-npc-1";
}
