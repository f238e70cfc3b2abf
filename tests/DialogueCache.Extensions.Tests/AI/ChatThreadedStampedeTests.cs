using Dialogue.Caching.Tests.Concurrency;
using Microsoft.Extensions.AI;

namespace Dialogue.Caching.Tests.AI;

/// <summary>
/// The chat stampede from many threads at once: callers on dedicated threads, released together, make one model
/// call. (<see cref="ChatStampedeTests"/> starts its callers from one thread, which makes the overlap exact but
/// never races two joins against each other.)
/// </summary>
[Collection(StressTestGroup.Name)]
public sealed class ChatThreadedStampedeTests
{
    private const int Threads = 8;

    [Fact]
    public void GetResponseAsync_CallersOnManyThreadsWhileTheModelIsHeld_MakeOneModelCall()
    {
        using var rig = new ChatRig();
        rig.Model.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var responses = new ChatResponse[Threads];

        // Every caller has joined the call (its task returned) before the barrier lets the model answer.
        using var joined = new Barrier(Threads, _ => rig.Model.Hold.SetResult());
        var errors = StressThreads.Run(Threads, thread =>
        {
            var pending = rig.Ask("Hello");
            joined.SignalAndWait();
            responses[thread] = pending.GetAwaiter().GetResult();
        });

        Assert.True(errors.Count == 0, StressThreads.Describe(errors));
        Assert.Equal(1, rig.Model.Calls);
        Assert.All(responses, r => Assert.Equal("Welcome to the forge, traveller. What do you need?", r.Text));
        Assert.Equal(Threads, responses.Distinct().Count());
        var stats = rig.Cache.Analytics();
        Assert.Equal((Threads, 1, Threads - 1), (stats.Misses, stats.FactoryCalls, stats.CoalescedCalls));
    }

    [Fact]
    public void GetStreamingResponseAsync_CallersOnManyThreadsWhileTheModelIsHeld_MakeOneModelCallAndAllGetTheWholeStream()
    {
        using var rig = new ChatRig();
        rig.Model.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Model.HoldBeforeChunk = 1;
        var texts = new string[Threads];

        using var joined = new Barrier(Threads, _ => rig.Model.Hold.SetResult());
        var errors = StressThreads.Run(Threads, thread =>
        {
            var stream = rig.Client.GetStreamingResponseAsync(Chat.Conversation("Hello")).GetAsyncEnumerator();
            try
            {
                var updates = new List<ChatResponseUpdate>();
                Assert.True(stream.MoveNextAsync().AsTask().GetAwaiter().GetResult());
                updates.Add(stream.Current);
                joined.SignalAndWait();
                while (stream.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                {
                    updates.Add(stream.Current);
                }

                texts[thread] = updates.ToChatResponse().Text;
            }
            finally
            {
                stream.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });

        Assert.True(errors.Count == 0, StressThreads.Describe(errors));
        Assert.Equal(1, rig.Model.Calls);
        Assert.All(texts, t => Assert.Equal("Welcome to the forge, traveller. What do you need?", t));
        Assert.Equal(1, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public void GetResponseAsync_CallersOnManyThreadsReleasedTogetherWithAnInstantModel_OneModelCallPerRequest()
    {
        // No hold: the model answers at once, so a caller may join the call, hit the stored response, or arrive in
        // the moment between the two. Whatever the interleaving, one request costs one model call.
        const int Rounds = 200;
        using var rig = new ChatRig();
        rig.Model.Reply = call => $"reply {call}";
        using var round = new Barrier(Threads);
        var answers = new string?[Rounds, Threads];

        var errors = StressThreads.Run(Threads, thread =>
        {
            for (var i = 0; i < Rounds; i++)
            {
                round.SignalAndWait();
                answers[i, thread] = rig.Ask($"Question {i}").GetAwaiter().GetResult().Text;
            }
        });

        Assert.True(errors.Count == 0, StressThreads.Describe(errors));
        Assert.Equal(Rounds, rig.Model.Calls);
        var stats = rig.Cache.Analytics();
        Assert.Equal(Rounds * Threads, stats.Hits + stats.Misses);
        Assert.Equal(Rounds, stats.FactoryCalls);
        for (var i = 0; i < Rounds; i++)
        {
            for (var thread = 1; thread < Threads; thread++)
            {
                Assert.Equal(answers[i, 0], answers[i, thread]);   // every caller of a request got its one response
            }
        }
    }
}
