using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Seamless.Evaluation;

/// <summary>
/// Shares units of work (prompts to draw and tag) among workers (backends): each free worker takes the next unit, so N
/// backends finish N× sooner whatever their speeds. A worker whose call fails as a worker (its backend went away) is set
/// aside and its unit goes back to the others; only when units remain and no worker is left does the failure surface.
/// A worker may join late (<c>ready</c>): it takes units from when its gate opens, so closing work can start on the
/// backends that are free while others still finish a trial.
/// </summary>
public static class WorkSharing
{
    public static async Task<IReadOnlyList<(TUnit Unit, TResult Result)>> RunAsync<TUnit, TWorker, TResult>(
        IReadOnlyList<TUnit> units,
        IReadOnlyList<TWorker> workers,
        Func<TWorker, TUnit, CancellationToken, Task<TResult>> run,
        Func<Exception, bool> isWorkerFailure,
        CancellationToken cancellationToken,
        Func<TWorker, Task>? ready = null)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(isWorkerFailure);
        ArgumentOutOfRangeException.ThrowIfZero(workers.Count);
        var queue = new ConcurrentQueue<TUnit>(units);
        var results = new ConcurrentBag<(TUnit, TResult)>();
        var alive = workers.ToList();
        Exception? last = null;

        // A unit handed back by a failing worker after the others found the queue empty needs another pass.
        while (!queue.IsEmpty && alive.Count > 0)
        {
            var failed = new ConcurrentBag<TWorker>();
            await Task.WhenAll(alive.Select(worker => Task.Run(
                async () =>
                {
                    if (ready is not null)
                    {
                        await ready(worker).WaitAsync(cancellationToken).ConfigureAwait(false);
                    }

                    while (queue.TryDequeue(out var unit))
                    {
                        try
                        {
                            results.Add((unit, await run(worker, unit, cancellationToken).ConfigureAwait(false)));
                        }
                        catch (Exception ex) when (isWorkerFailure(ex))
                        {
                            queue.Enqueue(unit);
                            last = ex;
                            failed.Add(worker);
                            return;
                        }
                    }
                },
                cancellationToken))).ConfigureAwait(false);
            alive = alive.Where(w => !failed.Contains(w)).ToList();
        }

        if (!queue.IsEmpty)
        {
            ExceptionDispatchInfo.Capture(last!).Throw();
        }

        return [.. results];
    }
}
