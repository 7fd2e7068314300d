using Seamless.Merging;
using Spectre.Console;

namespace Seamless.Cli.Infrastructure;

/// <summary>Runs long work with a progress bar on a terminal, or silently when output is redirected (a summary line follows either way).</summary>
public static class ProgressReporter
{
    public static T Run<T>(CliConsoles consoles, string title, Func<IProgress<MergeProgress>, T> work)
    {
        if (!consoles.Interactive)
        {
            return work(new Progress<MergeProgress>(_ => { }));
        }

        T result = default!;
        consoles.Error.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: 1);
                var progress = new SynchronousProgress(p => task.Value = p.BytesTotal == 0 ? 1 : (double)p.BytesDone / p.BytesTotal);
                result = work(progress);
                task.Value = 1;
            });
        return result;
    }

    private sealed class SynchronousProgress(Action<MergeProgress> report) : IProgress<MergeProgress>
    {
        public void Report(MergeProgress value) => report(value);
    }
}
