using Seamless.Evaluation;

namespace Seamless.Tests;

public sealed class WorkSharingTests
{
    [Fact]
    public async Task RunAsync_ThreeWorkers_EveryUnitOnceAndEachWorkerBusy()
    {
        var units = Enumerable.Range(0, 30).ToList();
        var results = await WorkSharing.RunAsync(units, ["a", "b", "c"], async (w, u, ct) =>
        {
            await Task.Delay(5, ct);
            return w;
        }, _ => false, CancellationToken.None);

        Assert.Equal(units, results.Select(r => r.Unit).Order());
        Assert.Equal(3, results.Select(r => r.Result).Distinct().Count());
    }

    [Fact]
    public async Task RunAsync_OneWorkerFails_ItsUnitsDoneByTheOthers()
    {
        var results = await WorkSharing.RunAsync(Enumerable.Range(0, 12).ToList(), ["ok", "down"], async (w, u, ct) =>
        {
            await Task.Delay(2, ct);
            return w == "down" ? throw new IOException("backend down") : w;
        }, e => e is IOException, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 12), results.Select(r => r.Unit).Order());
        Assert.All(results, r => Assert.Equal("ok", r.Result));
    }

    [Fact]
    public async Task RunAsync_LastWorkerFailsAfterTheOthersFinished_UnitRetriedByAnother()
    {
        // "slow" fails on its unit only after "fast" has emptied the queue and stopped.
        var calls = 0;
        var results = await WorkSharing.RunAsync([1, 2], ["slow", "fast"], async (w, u, ct) =>
        {
            Interlocked.Increment(ref calls);
            if (w == "slow")
            {
                await Task.Delay(200, ct);
                throw new IOException("gone");
            }

            return u;
        }, e => e is IOException, CancellationToken.None);

        Assert.Equal([1, 2], results.Select(r => r.Unit).Order());
    }

    [Fact]
    public async Task RunAsync_EveryWorkerFails_TheFailureSurfaces()
    {
        await Assert.ThrowsAsync<IOException>(() => WorkSharing.RunAsync([1, 2, 3], ["a", "b"], (w, u, ct) => Task.FromException<int>(new IOException("down")), e => e is IOException, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => WorkSharing.RunAsync([1], ["a"], (w, u, ct) => Task.FromException<int>(new InvalidOperationException("a bug, not a backend")), e => e is IOException, CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_WorkerGatedUntilLater_TakesUnitsOnlyAfterItsGateOpens()
    {
        // "busy" is still finishing a trial: "free" starts alone, "busy" joins when its gate opens and shares the rest.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var opened = false;
        var done = 0;
        var task = WorkSharing.RunAsync(Enumerable.Range(0, 40).ToList(), ["free", "busy"], async (w, u, ct) =>
        {
            Assert.True(w == "free" || Volatile.Read(ref opened), "a gated worker took a unit before its gate opened");
            await Task.Delay(5, ct);
            if (Interlocked.Increment(ref done) == 10)
            {
                Volatile.Write(ref opened, true);
                gate.SetResult();
            }

            return w;
        }, _ => false, CancellationToken.None, ready: w => w == "busy" ? gate.Task : Task.CompletedTask);

        var results = await task;
        Assert.Equal(Enumerable.Range(0, 40), results.Select(r => r.Unit).Order());
        Assert.Contains(results, r => r.Result == "busy");
    }
}
