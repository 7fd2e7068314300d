using System.Globalization;
using Seamless.Application.Reporting;
using Seamless.Application.Studies;
using Seamless.Application.TagAccuracy;
using Seamless.Errors;
using Seamless.Evaluation;
using Seamless.Evaluation.Prompts;
using Seamless.Hashing;
using Seamless.Merging;
using Seamless.Reports.Model;
using Seamless.Search.Merges;
using Seamless.Search.Objectives;
using Seamless.Search.Optimizers;
using Seamless.Search.Studies;

namespace Seamless.Application.Execution;

/// <summary>
/// Runs a merge study in this process with one runner per backend: a <c>tag_accuracy</c> objective whose <c>url</c>
/// lists several servers (comma-separated, with one <c>models_dir</c> for all or one per URL) gets one runner each,
/// so q = number of backends trials are in flight; a command objective gets <c>parallel</c> runners. Each runner has
/// its own store connection, backend and worker id (<c>machine:pid#k</c>); a backend that keeps failing is set aside
/// by its runner while the others go on. Used by <c>search</c> and <c>worker</c>; it renders nothing, and tells its
/// front end what happens through <paramref name="messages"/> and <see cref="Trials"/>.
/// </summary>
/// <param name="storage">The study store, as given (a SQLite path or a <c>postgresql://</c> URI): runners open their own connections.</param>
/// <param name="messages">Plain-text messages for the front end to show.</param>
public sealed class StudyExecution(string storage, IProgress<ExecutionMessage> messages)
{
    private readonly Lock _reportGate = new();

    /// <summary>Told after every finished trial, from any runner (calls are serialised).</summary>
    public IProgress<StudyProgress>? Trials { get; init; }

    /// <param name="backends">The tag-accuracy options of each backend (<see cref="BindBackends"/>); null: the configuration's objective command, on <paramref name="parallel"/> runners.</param>
    public async Task RunAsync(MergeSearchConfig config, StudyRecord study, IStudyStore store, CheckpointMerger merger, IReadOnlyList<TagAccuracyOptions>? backends, int parallel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(study);
        var endpoints = backends is null ? Enumerable.Repeat<TagAccuracyOptions?>(null, Math.Max(1, parallel)).ToList() : backends.Select(b => (TagAccuracyOptions?)b).ToList();
        Info($"Search '{config.Name}' ({config.Architecture}, {string.Join(", ", config.Models.Select(Path.GetFileName))} into {Path.GetFileName(config.BasePath)}, {study.Config.Space.Dimensions} parameters, {config.Optimizer}, budget {study.Config.Budget}) in {StudyStores.Describe(storage)}{(endpoints.Count > 1 ? $", {endpoints.Count} runners" : "")}");
        var progress = new SerialProgress(Trials);

        // One tagger for every backend, its held-out check and the diversity floor, loaded once.
        using var shelf = new TaggerShelf();
        var floor = endpoints[0] is { } measured ? await DiversityFloorAsync(config, measured, shelf, cancellationToken).ConfigureAwait(false) : null;
        var free = endpoints.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var tasks = endpoints.Select((options, k) => Task.Run(
            async () =>
            {
                var own = k == 0 ? null : StudyStores.Open(storage, Note);
                try
                {
                    await RunOneAsync(config, study, own ?? store, merger, options, shelf, k, endpoints.Count, floor, progress, () => free[k].TrySetResult(), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    own?.Dispose();
                }
            },
            cancellationToken)).ToList();

        // A runner that ended (or never started: cancelled at once) has freed its backend too.
        foreach (var (task, k) in tasks.Select((t, k) => (t, k)))
        {
            _ = task.ContinueWith(_ => free[k].TrySetResult(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        EarlyHeldOut? early = null;
        if (backends is { Count: > 1 })
        {
            // The first backend out of work (the rest of the budget running elsewhere) starts the held-out check of the
            // current recommendation; the others join it as their last trials end. It is kept if the recommendation is
            // still that trial at the end.
            await Task.WhenAny(free.Select(f => f.Task)).ConfigureAwait(false);
            if (free.Any(f => !f.Task.IsCompleted) && tasks.All(t => !t.IsFaulted && !t.IsCanceled))
            {
                early = StartEarlyHeldOut(config, study, store, merger, backends, shelf, [.. free.Select(f => f.Task)], cancellationToken);
            }
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch
        {
            await (early?.AbandonAsync() ?? Task.CompletedTask).ConfigureAwait(false);
            throw;
        }

        if (backends is { Count: > 0 })
        {
            await HeldOutAsync(config, study, store, merger, backends, shelf, early, cancellationToken).ConfigureAwait(false);
        }

        if (WriteReport(config, study.Config.Name) is { } files)
        {
            Info($"Report: {files.Html}");
        }
    }

    /// <summary>
    /// The search's diversity floor, when <c>min_diversity</c> is set: as given, or as a multiple of the base's diversity
    /// measured here on the search prompts (cached images make a resumed search's re-measure cheap).
    /// </summary>
    private async Task<double?> DiversityFloorAsync(MergeSearchConfig config, TagAccuracyOptions options, TaggerShelf shelf, CancellationToken cancellationToken)
    {
        await using var evaluation = OpenEvaluation(config, options, shelf);
        if (evaluation.Settings.DiversityFloor is not { } floor)
        {
            return null;
        }

        double? baseDiversity = null;
        if (floor.RelativeToBase)
        {
            var candidate = new Seamless.Evaluation.Generation.CandidateModel(config.BasePath, new FileHasher().Hash(config.BasePath).Sha256, "base") { Vae = evaluation.Settings.VaeFor(null) };
            var report = await evaluation.Evaluator.EvaluateAsync(evaluation.Generator, candidate, PromptSet.Search(evaluation.Pool, evaluation.Protocol).Prompts, null, cancellationToken).ConfigureAwait(false);
            baseDiversity = report.Diversity ?? throw new RecipeException(config.Name, "min_diversity relative to the base: the base's diversity could not be measured (one image per prompt gives no pair; set images_per_prompt ≥ 2)");
        }

        var value = floor.Resolve(baseDiversity);
        Info(string.Create(CultureInfo.InvariantCulture, $"Diversity floor {value:G4}{(baseDiversity is { } b ? $" ({floor} {b:G4})" : "")}: a candidate below it has its score scaled by diversity / floor"));
        return value;
    }

    private async Task RunOneAsync(MergeSearchConfig config, StudyRecord study, IStudyStore store, CheckpointMerger merger, TagAccuracyOptions? options, TaggerShelf shelf, int k, int count, double? minDiversity, IProgress<StudyProgress> progress, Action outOfWork, CancellationToken cancellationToken)
    {
        await using var evaluation = options is null ? null : OpenEvaluation(config, options, shelf, ReportFolder(config, study.Config.Name));
        var tagAccuracy = evaluation is null ? null : new TagAccuracyObjective(evaluation.Generator, evaluation.Evaluator, PromptSet.Search(evaluation.Pool, evaluation.Protocol), new FileHasher())
        {
            Incumbent = evaluation.Settings.EarlyStop ? () => BestFull(store, study) : null,
            RecipeOf = p => MergeSearchSpace.Recipe(config, p),
            MinDiversity = minDiversity,
            Vae = evaluation.Settings.VaeFor(null),
        };
        IMergeObjective merge = tagAccuracy ?? (IMergeObjective)new CommandMergeObjective(new CommandObjective(config.ObjectiveCommand, config.TimeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : null));

        // The embedded engine merges each candidate into its resident weights: no file is written per trial.
        var objective = new MergeTrialObjective(merge, (number, parameters, ct) => MergeSearch.Materialise(config, number, parameters, merger, ct), deleteAfter: config.KeepBest == 0);
        var name = evaluation?.Generator.Name ?? $"runner {k}";
        var worker = count == 1 ? null : $"{Environment.MachineName}:{Environment.ProcessId}#{k}";
        var runner = new StudyRunner(store, MergeSearch.Optimizer(config), objective, worker)
        {
            Repair = p => MergeSearchSpace.Repair(config, p),
            SetAside = TimeSpan.FromSeconds(evaluation?.Settings.SetAside ?? 30),
            BackendSetAside = (pause, why) => Warning($"{name} set aside for {pause.TotalSeconds:0} s: {why}"),
            OutOfWork = outOfWork,
            AfterTrial = trials =>
            {
                if (config.KeepBest > 0)
                {
                    MergeSearch.KeepBest(config, trials);
                }

                // The report follows the search: refreshed every 10 finished trials (and written at the end).
                if (trials.Count(t => t.State is TrialState.Complete or TrialState.Failed or TrialState.Pruned) % 10 == 0)
                {
                    WriteReport(config, study.Config.Name);
                }
            },
        };
        await runner.RunAsync(study, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A held-out check started before the last trials ended, for the trial that was recommended then.</summary>
    private sealed record EarlyHeldOut(int Trial, Task<HeldOutCheck?> Result, CancellationTokenSource Cancel)
    {
        /// <summary>Stops it and waits until nothing of it runs (its outcome, whatever it was, is dropped).</summary>
        public async Task AbandonAsync()
        {
            await Cancel.CancelAsync().ConfigureAwait(false);
            try
            {
                await Result.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or Seamless.Evaluation.Errors.EvaluationException or IOException)
            {
                // Dropped: the check is made again, or the search failed anyway.
            }
            finally
            {
                Cancel.Dispose();
            }
        }
    }

    private EarlyHeldOut? StartEarlyHeldOut(MergeSearchConfig config, StudyRecord study, IStudyStore store, CheckpointMerger merger, IReadOnlyList<TagAccuracyOptions> endpoints, TaggerShelf shelf, IReadOnlyList<Task> free, CancellationToken cancellationToken)
    {
        var best = MergeSearch.Recommended(study.Config, store.Trials(study.Id));
        if (best?.Value is not { } searchValue || HeldOutCheck.TryLoad(ReportFolder(config, study.Config.Name))?.Trial == best.Number)
        {
            return null;
        }

        Info($"Held-out check of trial {best.Number} started on the free backend{(free.Count(f => f.IsCompleted) == 1 ? "" : "s")}; the others join it as their last trials end");
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var result = Task.Run(() => MeasureHeldOutAsync(config, study, merger, best, searchValue, endpoints, shelf, free, cancel.Token), cancel.Token);
        return new EarlyHeldOut(best.Number, result, cancel);
    }

    /// <summary>
    /// Re-measures the recommended trial on the held-out prompts (drawn from their own stream, never seen by the
    /// search) and on a few prompts per tag count, and stores the result beside the report, where the report shows it
    /// next to the search score. The prompts are shared among every backend of the search (<see cref="WorkSharing"/>):
    /// with one backend this closing work once ran while the others sat idle, and took as long as a third of the trials.
    /// <paramref name="early"/>, started on the backends that ran out of trials first, is kept when it measured the
    /// trial that is recommended now.
    /// </summary>
    private async Task HeldOutAsync(MergeSearchConfig config, StudyRecord study, IStudyStore store, CheckpointMerger merger, IReadOnlyList<TagAccuracyOptions> endpoints, TaggerShelf shelf, EarlyHeldOut? early, CancellationToken cancellationToken)
    {
        var best = MergeSearch.Recommended(study.Config, store.Trials(study.Id));
        HeldOutCheck? check = null;
        if (early is not null && best is not null && early.Trial == best.Number)
        {
            try
            {
                check = await early.Result.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is Seamless.Evaluation.Errors.EvaluationException or IOException)
            {
                // Made again below, on every backend, where a failure is reported.
            }
            finally
            {
                early.Cancel.Dispose();
            }
        }
        else if (early is not null)
        {
            Note($"held-out check of trial {early.Trial} dropped: trial {best?.Number.ToString(CultureInfo.InvariantCulture) ?? "none"} is recommended after the last trials");
            await early.AbandonAsync().ConfigureAwait(false);
        }

        if (best?.Value is not { } searchValue)
        {
            return;
        }

        try
        {
            check ??= await MeasureHeldOutAsync(config, study, merger, best, searchValue, endpoints, shelf, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Seamless.Evaluation.Errors.EvaluationException ex)
        {
            Warning($"held-out check not made: {ex.Message}");
            return;
        }

        if (check is not null)
        {
            check.Save(ReportFolder(config, study.Config.Name));
            Info(string.Create(CultureInfo.InvariantCulture, $"Held-out check: trial {check.Trial} scores {check.Value:G4} ({check.Low:G3}–{check.High:G3}) on {check.Prompts} unseen prompts, {searchValue:G4} in the search{(endpoints.Count > 1 ? $", measured on {endpoints.Count} backends" : "")}"));
        }
    }

    /// <summary>The held-out check of <paramref name="best"/> (not saved); null when there is nothing to measure.</summary>
    /// <param name="free">Per backend, when it may start (its runner has finished); null: all at once.</param>
    private async Task<HeldOutCheck?> MeasureHeldOutAsync(MergeSearchConfig config, StudyRecord study, CheckpointMerger merger, Trial best, double searchValue, IReadOnlyList<TagAccuracyOptions> endpoints, TaggerShelf shelf, IReadOnlyList<Task>? free, CancellationToken cancellationToken)
    {
        var evaluations = new List<EvaluationSession>();
        try
        {
            foreach (var options in endpoints)
            {
                evaluations.Add(OpenEvaluation(config, options, shelf));
            }

            Task Ready(EvaluationSession e) => free is null ? Task.CompletedTask : free[evaluations.IndexOf(e)];
            return await MeasureHeldOutAsync(config, study, merger, best, searchValue, evaluations, Ready, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var e in evaluations)
            {
                await e.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<HeldOutCheck?> MeasureHeldOutAsync(MergeSearchConfig config, StudyRecord study, CheckpointMerger merger, Trial best, double searchValue, List<EvaluationSession> evaluations, Func<EvaluationSession, Task> ready, CancellationToken cancellationToken)
    {
        var evaluation = evaluations[0];
        if (evaluation.Protocol.HeldOutPrompts == 0)
        {
            return null;
        }

        var folder = ReportFolder(config, study.Config.Name);
        var existing = HeldOutCheck.TryLoad(folder);
        if (existing is not null && existing.Trial == best.Number)
        {
            return null;
        }

        var path = MergeSearch.CandidatePath(config, best.Number);
        var made = !File.Exists(path);
        if (made)
        {
            path = MergeSearch.Materialise(config, best, merger, cancellationToken);
        }

        try
        {
            var hasher = new FileHasher();
            var candidate = new Seamless.Evaluation.Generation.CandidateModel(path, hasher.Hash(path).Sha256, $"trial-{best.Number}-heldout") { Vae = evaluation.Settings.VaeFor(null) };

            // Units: each held-out prompt (group 0), and a few prompts per tag count (group n) for the report's table.
            var units = PromptSet.HeldOut(evaluation.Pool, evaluation.Protocol).Prompts.Select(p => (Group: 0, Prompt: p)).ToList();
            var heldOut = units.Count;
            foreach (var n in TagCounts.Where(n => n <= evaluation.Pool.Tags.Count))
            {
                units.AddRange(PromptSet.WithTagCount(evaluation.Pool, evaluation.Protocol, PromptsPerTagCount, n).Prompts.Select(p => (Group: n, Prompt: p)));
            }

            // The first image of the first few held-out prompts is kept as this study's sample row: the same prompts and
            // seeds in every round, so rows of successive rounds show drift.
            var samples = Path.Combine(folder, StudyReports.SamplesFolder);
            if (Directory.Exists(samples))
            {
                Directory.Delete(samples, recursive: true);
            }

            Directory.CreateDirectory(samples);
            var outcomes = await WorkSharing.RunAsync(units, evaluations, async (e, unit, ct) =>
            {
                Seamless.Evaluation.Scoring.PromptOutcome? outcome = null;
                var evaluator = new TagAccuracyEvaluator(e.Tagger, EvaluationSession.Codec, e.Catalog, e.Protocol)
                {
                    ImageSink = async (_, prompt, image, c) =>
                    {
                        if (unit.Group == 0 && prompt.Index < StudyReports.SampleColumns && image.Seed == prompt.Seed)
                        {
                            await File.WriteAllBytesAsync(Path.Combine(samples, string.Create(CultureInfo.InvariantCulture, $"p{prompt.Index}.png")), image.Encode(EvaluationSession.Codec), c).ConfigureAwait(false);
                        }
                    },
                    SampleSink = (_, _, _, o, _) =>
                    {
                        outcome = o;
                        return ValueTask.CompletedTask;
                    },
                };
                await evaluator.EvaluateAsync(e.Generator, candidate, [unit.Prompt], null, ct).ConfigureAwait(false);
                return outcome ?? throw new InvalidOperationException($"prompt {unit.Prompt.Index} gave no outcome");
            }, IsBackendFailure, cancellationToken, ready).ConfigureAwait(false);

            Seamless.Evaluation.Scoring.AccuracyReport Tally(int group)
            {
                var tally = new Seamless.Evaluation.Scoring.AccuracyTally(evaluation.Catalog);
                foreach (var (_, outcome) in outcomes.Where(o => o.Unit.Group == group).OrderBy(o => o.Unit.Prompt.Index))
                {
                    tally.Add(outcome);
                }

                return tally.Report();
            }

            var o = Tally(0).Overall;
            var byCount = new SortedDictionary<int, double>(units.Select(u => u.Group).Where(g => g > 0).Distinct().ToDictionary(n => n, n => Tally(n).Overall.Value));
            return new HeldOutCheck(best.Number, searchValue, o.Value, o.Low, o.High, o.Pairs, heldOut, byCount);
        }
        finally
        {
            if (made && config.KeepBest == 0)
            {
                File.Delete(path);
            }
        }
    }


    /// <summary>A backend that went away (the others take over its prompts), not a bug.</summary>
    private static bool IsBackendFailure(Exception ex) =>
        ex is Seamless.Evaluation.Errors.EvaluationException { Reason: Seamless.Evaluation.Errors.EvaluationError.BackendFailed or Seamless.Evaluation.Errors.EvaluationError.BackendMismatch or Seamless.Evaluation.Errors.EvaluationError.ImageInvalid };

    /// <summary>Tags per prompt of the report's accuracy-by-tag-count table (the original system's second table).</summary>
    public static readonly int[] TagCounts = [2, 4, 8, 16, 32, 64, 128];

    public const int PromptsPerTagCount = 4;

    private static double? BestFull(IStudyStore store, StudyRecord study) =>
        store.Trials(study.Id).Where(t => t.State == TrialState.Complete && t.Fidelity >= 1 && t.Value is not null).Select(t => t.Value).Max();

    /// <summary>
    /// A configuration's <c>tag_accuracy</c> map as one typed option set per backend: <c>url</c> split at commas,
    /// <c>models_dir</c> shared or paired by position. Every problem of every backend is reported at once, before any
    /// slow work.
    /// </summary>
    /// <exception cref="RecipeException">The options are invalid (the message lists every problem).</exception>
    public static IReadOnlyList<TagAccuracyOptions> BindBackends(string source, MergeSearchConfig config, IReadOnlyDictionary<string, string> options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var backends = new List<TagAccuracyOptions>();
        foreach (var endpoint in Endpoints(config, options))
        {
            var settings = TagAccuracyOptions.Bind(endpoint, problems);
            if (settings.VaeModels().Any())
            {
                problems.Add($"tag_accuracy: vae '{settings.Vae}': a search decodes every candidate with one VAE; give it without MODEL=");
            }

            backends.Add(settings);
        }

        if (problems.Count > 0)
        {
            throw new RecipeException(source, string.Join("; ", problems.Distinct()));
        }

        return backends;
    }

    private static List<IReadOnlyDictionary<string, string>> Endpoints(MergeSearchConfig config, IReadOnlyDictionary<string, string> options)
    {
        var urls = options.TryGetValue("url", out var u) ? u.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        var dirs = options.TryGetValue("models_dir", out var d) ? d.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        if (urls.Length <= 1)
        {
            return [options];
        }

        if (dirs.Length is not (0 or 1) && dirs.Length != urls.Length)
        {
            throw new RecipeException(config.Name, $"tag_accuracy: {urls.Length} urls but {dirs.Length} models_dir: give one for all, or one per url");
        }

        return urls.Select((url, i) =>
        {
            var map = new Dictionary<string, string>(options, StringComparer.Ordinal) { ["url"] = url };
            if (dirs.Length > 0)
            {
                map["models_dir"] = dirs.Length == 1 ? dirs[0] : dirs[i];
            }

            return (IReadOnlyDictionary<string, string>)map;
        }).ToList();
    }

    /// <summary>Opens one backend's evaluation.</summary>
    /// <param name="samples">The report folder that keeps each trial's sample images (<see cref="TrialSamples"/>); null keeps none.</param>
    private static EvaluationSession OpenEvaluation(MergeSearchConfig config, TagAccuracyOptions options, TaggerShelf shelf, string? samples = null) =>
        EvaluationSession.Open(options, config.Architecture, [config.BasePath, .. config.Models], shelf: shelf, sampleSink: samples is null ? null : (model, prompt, images, outcome, _) =>
        {
            if (model.Trial is { } trial && images.Count > 0 && TrialSamples.Keeps(prompt.Index, prompt.Seed, prompt.Seed))
            {
                try
                {
                    var found = Enumerable.Range(0, prompt.Tags.Count).Select(t => outcome[0, t]).ToList();
                    TrialSamples.Save(samples, trial, new TrialSample(prompt.Index, prompt.Seed, prompt.Tags, found, TrialSamples.ImageName(prompt.Index)),
                        Seamless.Imaging.SkiaImageCodec.EncodeThumbnailJpeg(images[0], TrialSamples.MaxSide));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Samples are for looking at; a full disk must not fail the trial (the study itself is what counts).
                }
            }

            return ValueTask.CompletedTask;
        });

    public static string ReportFolder(MergeSearchConfig config, string studyName) => StudyFolders.ReportFolder(config, studyName);

    /// <summary>A report that cannot be written is a warning: the search itself must go on.</summary>
    private Seamless.Reports.Writers.ReportFiles? WriteReport(MergeSearchConfig config, string studyName)
    {
        try
        {
            lock (_reportGate)
            {
                return StudyReports.Write(storage, studyName, ReportFolder(config, studyName), []);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SeamlessException)
        {
            Warning($"report not written: {ex.Message}");
            return null;
        }
    }

    private void Info(string text) => messages.Report(new ExecutionMessage(MessageLevel.Info, text));

    private void Note(string text) => messages.Report(new ExecutionMessage(MessageLevel.Note, text));

    private void Warning(string text) => messages.Report(new ExecutionMessage(MessageLevel.Warning, text));

    /// <summary>One report at a time: runners finish trials concurrently, and front ends write lines.</summary>
    private sealed class SerialProgress(IProgress<StudyProgress>? inner) : IProgress<StudyProgress>
    {
        private readonly Lock _gate = new();

        public void Report(StudyProgress value)
        {
            lock (_gate)
            {
                inner?.Report(value);
            }
        }
    }
}
