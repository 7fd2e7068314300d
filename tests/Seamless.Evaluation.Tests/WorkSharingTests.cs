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
}
