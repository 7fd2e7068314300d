using System.Threading.Channels;

namespace Seamless.Dashboard.Live;

/// <summary>
/// Fans change messages out to every open event stream: <see cref="StudiesChanged"/> (the list) or
/// <see cref="StudyChanged"/> (one study's view). A slow client loses its oldest
/// messages, never blocks the others: a message only says "fetch again", so dropping duplicates loses nothing.
/// </summary>
public sealed class ChangeBroadcast
{
    public const string ListMessage = "studies";

    private readonly Lock _gate = new();
    private readonly List<Channel<string>> _subscribers = [];

    public ChannelReader<string> Subscribe(CancellationToken cancel)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        cancel.Register(() =>
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }

            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    public void StudiesChanged() => Publish(ListMessage);

    /// <summary>Study messages carry a prefix, so a study named "studies" is still a study.</summary>
    public void StudyChanged(string name) => Publish("study:" + name);

    private void Publish(string message)
    {
        List<Channel<string>> subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var s in subscribers)
        {
            s.Writer.TryWrite(message);
        }
    }

    /// <summary>Ends every stream (the dashboard is stopping).</summary>
    public void Complete()
    {
        lock (_gate)
        {
            foreach (var s in _subscribers)
            {
                s.Writer.TryComplete();
            }

            _subscribers.Clear();
        }
    }
}
