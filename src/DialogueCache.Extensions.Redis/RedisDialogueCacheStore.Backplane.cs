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

    // The subscription's state. _subscribing: an attempt is in flight (one at a time). _confirmed: the server confirmed
    // it. _verify: the client may hold our handler without a server subscription (StackExchange.Redis keeps the
    // handler of a failed SUBSCRIBE, and resubscribes by itself after a reconnect, or not): check before subscribing
    // again, so that no message is handled twice. _missed: messages may have been missed since the last confirmation,
    // so memory copies are dropped once subscribed. _failingSince: when the current run of failures began.
    private int _subscribing;
    private int _confirmed;
    private int _verify;
    private int _missed;
    private long _failingSince;

    // Connection types (1 interactive, 2 subscription) lost since they were last restored.
    private int _lostConnections;

    /// <summary>True once the server has confirmed the backplane subscription (tests wait for it before they rely on messages).</summary>
    internal bool IsSubscribed => Volatile.Read(ref _confirmed) != 0;

    /// <summary>Subscribes, or checks a subscription the client may have restored by itself; on failure, tries again after a pause.</summary>
    private async Task SubscribeAsync(IConnectionMultiplexer connection)
    {
        if (Interlocked.CompareExchange(ref _subscribing, 1, 0) != 0)
        {
            return;
        }

        try
        {
            var subscriber = connection.GetSubscriber();
            var verify = Volatile.Read(ref _verify) != 0;
            if (!verify || subscriber.SubscribedEndpoint(Keyspace.Channel) is null)
            {
                if (verify)
                {
                    // Drop the handler a failed attempt left, so that a message is not handled twice.
                    subscriber.Unsubscribe(Keyspace.Channel, OnMessage, CommandFlags.FireAndForget);
                }

                await subscriber.SubscribeAsync(Keyspace.Channel, OnMessage).ConfigureAwait(false);
            }

            Volatile.Write(ref _verify, 0);
            Interlocked.Exchange(ref _failingSince, 0);
            if (Interlocked.Exchange(ref _missed, 0) != 0)
            {
                // Unsubscribed for a while: memory copies may have missed invalidations, as after a reconnect.
                _epochs.BumpAll();
                Host.EvictAllLocal();
            }

            Volatile.Write(ref _confirmed, 1);
            Volatile.Write(ref _subscribing, 0);
            Log.Subscribed(_logger, Host.CacheName, Keyspace.ChannelName);
        }
        catch (Exception exception)
        {
            // Tried again after a pause, and when the connection comes back. A subscription can fail while the
            // connection is fine (the client's subscription connection not up yet, or a server refusing SUBSCRIBE
            // to this user): no connection event would ever try again then.
            Volatile.Write(ref _verify, 1);
            Volatile.Write(ref _missed, 1);
            Volatile.Write(ref _subscribing, 0);
            var now = Environment.TickCount64;
            var since = Interlocked.CompareExchange(ref _failingSince, now, 0) is var first and not 0 ? first : now;

            // Right after connecting, the client's subscription connection may still be on its way (commands fail
            // fast meanwhile): not an error yet. It is one once that lasts longer than connecting may take, or when
            // the server refused the subscription.
            if (exception is not RedisConnectionException || now - since >= (long)_startWait.TotalMilliseconds)
            {
                Host.ReportError("subscribe", exception);
            }

            _ = RetrySubscribeAsync(connection);
        }
    }

    private async Task RetrySubscribeAsync(IConnectionMultiplexer connection)
    {
        await Task.Delay(SubscribeRetryDelay).ConfigureAwait(false);
        if (Volatile.Read(ref _disposed) == 0 && !IsSubscribed)
        {
            await SubscribeAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>After a connection came back: the client should have resubscribed by itself; make sure.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="missed">Messages may have been lost: drop memory copies again once the subscription is confirmed.</param>
    private void CheckSubscription(IConnectionMultiplexer connection, bool missed)
    {
        if (missed)
        {
            Volatile.Write(ref _missed, 1);
        }

        Volatile.Write(ref _verify, 1);
        Volatile.Write(ref _confirmed, 0);
        _ = SubscribeAsync(connection);
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
