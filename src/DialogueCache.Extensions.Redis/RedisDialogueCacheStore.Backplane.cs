using Dialogue.Caching.Redis.Internal;
using StackExchange.Redis;

namespace Dialogue.Caching.Redis;

/// <summary>
/// The backplane: every write and invalidation is published on the cache's channel; other nodes drop their
/// memory copies (they read Redis again on their next miss). A node ignores its own messages.
/// </summary>
public sealed partial class RedisDialogueCacheStore
{
    private long _published;
    private long _handled;

    /// <summary>Backplane messages this store has sent (tests wait until another node has handled them).</summary>
    internal long MessagesPublished => Interlocked.Read(ref _published);

    /// <summary>Backplane messages of other nodes this store has handled (its memory copies dropped).</summary>
    internal long MessagesHandled => Interlocked.Read(ref _handled);

    private Task<long> Publish(IConnectionMultiplexer connection, BackplaneMessageKind kind, string argument)
    {
        var sent = connection.GetSubscriber().PublishAsync(Keyspace.Channel, new BackplaneMessage(kind, _nodeId, argument).Encode());
        Interlocked.Increment(ref _published);
        return sent;
    }

    /// <summary>How long after a failed subscription the store tries again (real time: it paces calls to a server).</summary>
    internal static readonly TimeSpan SubscribeRetryDelay = TimeSpan.FromMilliseconds(500);

    // Set after a subscription attempt failed: StackExchange.Redis keeps the handler of a failed SUBSCRIBE registered.
    private int _subscribeFailed;

    private async Task SubscribeAsync(IConnectionMultiplexer connection)
    {
        if (Interlocked.CompareExchange(ref _subscribed, 1, 0) != 0)
        {
            return;
        }

        var retry = Volatile.Read(ref _subscribeFailed) != 0;
        try
        {
            var subscriber = connection.GetSubscriber();
            if (!retry || subscriber.SubscribedEndpoint(Keyspace.Channel) is null)
            {
                if (retry)
                {
                    // Drop the handler the failed attempt left, so that a message is not handled twice.
                    subscriber.Unsubscribe(Keyspace.Channel, OnMessage, CommandFlags.FireAndForget);
                }

                await subscriber.SubscribeAsync(Keyspace.Channel, OnMessage).ConfigureAwait(false);
            }

            if (retry)
            {
                // Unsubscribed until now: memory copies may have missed invalidations, as after a reconnect.
                Volatile.Write(ref _subscribeFailed, 0);
                _epochs.BumpAll();
                Host.EvictAllLocal();
            }

            Log.Subscribed(_logger, Host.CacheName, Keyspace.ChannelName);
        }
        catch (Exception exception)
        {
            // Tried again after a pause, and when the connection comes back. A subscription can fail while the
            // connection is fine (its subscription connection not up yet, or a server refusing SUBSCRIBE to this
            // user): no connection event would ever try again then.
            Volatile.Write(ref _subscribeFailed, 1);
            Volatile.Write(ref _subscribed, 0);
            Host.ReportError("subscribe", exception);
            _ = RetrySubscribeAsync(connection);
        }
    }

    private async Task RetrySubscribeAsync(IConnectionMultiplexer connection)
    {
        await Task.Delay(SubscribeRetryDelay).ConfigureAwait(false);
        if (Volatile.Read(ref _disposed) == 0 && Volatile.Read(ref _subscribed) == 0)
        {
            await SubscribeAsync(connection).ConfigureAwait(false);
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue value)
    {
        try
        {
            if (!BackplaneMessage.TryDecode(((ReadOnlyMemory<byte>)value).Span, out var message))
            {
                Host.ReportError("backplane", new FormatException($"A message on '{Keyspace.ChannelName}' is not a backplane message of this library; it was ignored."));
                return;
            }

            if (message.Sender == _nodeId || Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            // Count first, evict second: a read that started before this message then sees the change and reads
            // again instead of filling memory with what may be the old value.
            switch (message.Kind)
            {
                case BackplaneMessageKind.Set:
                case BackplaneMessageKind.Remove:
                    _epochs.Bump(message.Argument);
                    Host.EvictLocal(message.Argument);
                    break;
                case BackplaneMessageKind.Pattern:
                    _epochs.BumpAll();
                    Host.EvictLocalContaining(message.Argument);
                    break;
                case BackplaneMessageKind.Clear:
                    _epochs.BumpAll();
                    Host.EvictAllLocal();
                    break;
            }

            Interlocked.Increment(ref _handled);
        }
        catch (Exception exception)
        {
            Host.ReportError("backplane", exception);
        }
    }
}
