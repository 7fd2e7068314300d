using Seamless.Application.Execution;
using Seamless.Architecture;
using Seamless.Evaluation.Fabrication;
using Seamless.Errors;
using Seamless.Fabrication;
using Seamless.Merging;
using Seamless.Search.Merges;
using Seamless.Search.Studies;
using Seamless.Storage.Sqlite;
using Seamless.Tagging.Onnx.Fabrication;

namespace Seamless.Tests.Execution;

public sealed class StudyExecutionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private MergeSearchConfig Config(string objective)
    {
        foreach (var (name, seed) in new[] { ("a", 1UL), ("b", 2UL) })
        {
            Fabricator.Fabricate(ArchitectureManifest.Sd15, FabricationScale.Tiny, seed, _temp.File(name + ".safetensors"));
        }

        var path = _temp.File("search.yaml");
        File.WriteAllText(path, $$"""
            name: s1
            storage: studies.db
            base: a.safetensors
            models: [b.safetensors]
            blocks: [M00, OUT00]
            bounds: [0, 0.5]
            objective: {{objective}}
            budget: 5
            seed: 3
            """);
        return MergeSearchConfigLoader.Load(path);
    }

    [Fact]
    public async Task RunAsync_CommandObjective_EveryTrialAndMessageReachesTheFrontEndWithoutAConsole()
    {
        // The score is −(w − 0.2)² of b's M00 weight, read from the JSON the command gets on standard input.
        var script = _temp.File("score.sh");
        File.WriteAllText(script, """
            w=$(cat | sed -E 's/.*"b:M00":(-?[0-9.eE+-]+).*/\1/')
            awk -v w="$w" 'BEGIN { print -(w - 0.2) * (w - 0.2) }'
            """);
        var config = Config($"{{command: \"sh {script}\"}}");
        using var store = new SqliteStudyStore(config.Storage);
        var study = MergeSearch.Create(store, config);
        var messages = new Recorder<ExecutionMessage>();
        var trials = new Recorder<StudyProgress>();

        await new StudyExecution(config.Storage, messages) { Trials = trials }.RunAsync(config, study, store, new CheckpointMerger(), backends: null, parallel: 1, CancellationToken.None);

        Assert.Equal(5, store.Trials(study.Id).Count(t => t.State == TrialState.Complete));
        Assert.Equal(5, trials.Items.Count);
        Assert.Equal(5, trials.Items[^1].Finished);
        Assert.StartsWith("Search 's1' (SD1, b.safetensors into a.safetensors, 2 parameters", messages.Items[0].Text, StringComparison.Ordinal);
        var report = Assert.Single(messages.Items, m => m.Text.StartsWith("Report: ", StringComparison.Ordinal));
        Assert.Equal(MessageLevel.Info, report.Level);
        Assert.True(File.Exists(report.Text["Report: ".Length..]), report.Text);
        Assert.DoesNotContain(messages.Items, m => m.Level == MessageLevel.Warning);
    }

    [Fact]
    public void BindBackends_TwoUrlsOneModelsDir_OneTypedOptionSetPerBackend()
    {
        var config = Config("{command: \"true\"}");
        var tagger = Directory.CreateDirectory(_temp.File("tagger")).FullName;
        var backends = StudyExecution.BindBackends("search.yaml", config, new Dictionary<string, string>
        {
            ["url"] = "http://127.0.0.1:7860, http://127.0.0.1:7861",
            ["models_dir"] = "/models",
            ["tagger"] = tagger,
            ["prompts"] = "12",
        });

        Assert.Equal(["http://127.0.0.1:7860", "http://127.0.0.1:7861"], backends.Select(b => b.Url));
        Assert.All(backends, b => Assert.Equal(("/models", 12), (b.ModelsDir, b.Prompts)));
    }

    [Fact]
    public void BindBackends_ProblemsOfEveryKind_OneErrorNamingTheSource()
    {
        var config = Config("{command: \"true\"}");
        var ex = Assert.Throws<RecipeException>(() => StudyExecution.BindBackends("search.yaml", config, new Dictionary<string, string>
        {
            ["url"] = "http://127.0.0.1:7860",
            ["vae"] = "b.safetensors=kl.ckpt",
            ["retries"] = "often",
        }));

        Assert.Contains("search.yaml", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tag_accuracy: retries 'often' is not a valid int32", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tag_accuracy: models_dir is required with a web backend", ex.Message, StringComparison.Ordinal);
        Assert.Contains("a search decodes every candidate with one VAE", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TwoBackendsCancelledBeforeTheRunnersStart_EndsCancelledWithoutWaiting()
    {
        // The held-out check may start on the first backend its runner frees: a runner cancelled before it ever
        // started frees its backend too, so the search ends instead of waiting for a runner that will not come.
        var config = Config("{command: \"true\"}");
        var tagger = _temp.File("tagger");
        TinyTaggerBuilder.Write(new TinyWorld(5, BlockMap.LayoutOf(ModelArchitecture.SD1).StandardBlocks.Count), tagger);
        var backends = StudyExecution.BindBackends("search.yaml", config, new Dictionary<string, string>
        {
            ["backend"] = "a1111",
            ["url"] = "http://127.0.0.1:9, http://127.0.0.1:9",
            ["models_dir"] = Directory.CreateDirectory(_temp.File("models")).FullName,
            ["tagger"] = tagger,
        });
        using var store = new SqliteStudyStore(config.Storage);
        var study = MergeSearch.Create(store, config);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var run = new StudyExecution(config.Storage, new Recorder<ExecutionMessage>()).RunAsync(config, study, store, new CheckpointMerger(), backends, parallel: 1, cancelled.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.DoesNotContain(store.Trials(study.Id), t => t.State is TrialState.Complete or TrialState.Running);
    }

    private sealed class Recorder<T> : IProgress<T>
    {
        private readonly Lock _gate = new();

        public List<T> Items { get; } = [];

        public void Report(T value)
        {
            lock (_gate)
            {
                Items.Add(value);
            }
        }
    }
}
