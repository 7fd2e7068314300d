using Seamless.Cli.Commands;
using Seamless.Errors;
using Spectre.Console.Cli;

namespace Seamless.Cli.Infrastructure;

/// <summary>Builds the command line: one command class and one settings class per verb.</summary>
public static class CliApp
{
    public const int UserError = 1;
    public const int UsageError = 2;
    public const int Cancelled = 130;

    public static int Run(string[] args, CliConsoles consoles, CancellationToken cancellationToken = default) => Run(args, consoles, false, cancellationToken);

    /// <summary>
    /// Parses and binds the arguments to the verb's settings, then stops (before validation and any work): 0 when the
    /// tool accepts the command line. This is how the tests check every command line in the documentation.
    /// </summary>
    public static int Parse(string[] args, CliConsoles consoles)
    {
        SeamlessSettings.ParseOnly = true;
        try
        {
            return Run(args, consoles, true, CancellationToken.None);
        }
        finally
        {
            SeamlessSettings.ParseOnly = false;
        }
    }

    private static int Run(string[] args, CliConsoles consoles, bool parseOnly, CancellationToken cancellationToken)
    {
        var registrar = new TypeRegistrar();
        registrar.RegisterInstance(typeof(CliConsoles), consoles);
        var app = new CommandApp(registrar);
        app.Configure(c =>
        {
            c.SetApplicationName("seamless");
            c.SetApplicationVersion(Merging.MergeMetadata.ToolVersion);
            c.ConfigureConsole(consoles.Out);
            c.CancellationExitCode(Cancelled);

            // A mistyped option is an error, not silently ignored (Spectre's default keeps unknown flags aside).
            c.Settings.StrictParsing = true;
            if (parseOnly)
            {
                c.SetInterceptor(new StopAfterParsing());
            }

            c.AddCommand<QuickstartCommand>("quickstart")
                .WithDescription("Run the whole engine on three tiny fabricated models, in seconds, with nothing downloaded.");
            c.AddCommand<InspectCommand>("inspect")
                .WithDescription("Show a checkpoint's architecture, dtypes, parameters per block, metadata and merge recipe.")
                .WithExample("inspect", "model.safetensors");
            c.AddCommand<MergeCommand>("merge")
                .WithDescription("Merge checkpoints block by block from a recipe (YAML/JSON) or flags.")
                .WithExample("merge", "recipe.yaml", "--out", "merged.safetensors")
                .WithExample("merge", "--base", "a.safetensors", "--model", "b.safetensors@0.3", "--out", "merged.safetensors");
            c.AddCommand<ContactCommand>("contact")
                .WithDescription("Contact merge: A plus the rank-r part of B − A, tensor by tensor.")
                .WithExample("contact", "a.safetensors", "b.safetensors", "--rank", "4", "--out", "ab.safetensors");
            c.AddCommand<FabricateCommand>("fabricate")
                .WithDescription("Write a checkpoint with random weights in a real key layout (for tests and benchmarks).")
                .WithExample("fabricate", "--arch", "sd15", "--scale", "tiny", "--seed", "1", "tiny.safetensors");
            c.AddCommand<GenerateCommand>("generate")
                .WithDescription("Draw one image from an SD1.x or SDXL checkpoint with the embedded engine (CPU, no web UI).")
                .WithExample("generate", "--model", "model.safetensors", "--prompt", "1girl, red hair", "--seed", "1", "--out", "image.png");
            c.AddCommand<BenchCommand>("bench")
                .WithDescription("Tag accuracy of checkpoints on the same prompts and seeds: per-category table with Δ% against the average, and accuracy by tag count.")
                .WithExample("bench", "--models", "a.safetensors", "--models", "b.safetensors", "--backend", "a1111", "--models-dir", "~/sd/models/Stable-diffusion", "--tagger", "~/taggers/wd-eva02-large-tagger-v3", "--json", "bench.json");
            c.AddCommand<SearchCommand>("search")
                .WithDescription("Search per-block merge weights with Bayesian optimisation, scoring each candidate with an objective command.")
                .WithExample("search", "search.yaml")
                .WithExample("search", "--resume", "my-search", "--storage", "seamless-studies.db");
            c.AddCommand<WorkerCommand>("worker")
                .WithDescription("Join a stored search from this machine with its own backends (several machines, one PostgreSQL study).")
                .WithExample("worker", "my-search", "--storage", "postgresql://seamless@db:5432/seamless", "--url", "http://127.0.0.1:7860", "--url", "http://127.0.0.1:7861", "--models-dir", "/srv/sd/models/Stable-diffusion");
            c.AddCommand<BestCommand>("best")
                .WithDescription("Write the recommended merge of a search study.")
                .WithExample("best", "my-search", "--out", "best.safetensors");
            c.AddCommand<ReportCommand>("report")
                .WithDescription("Write a study's report: HTML (self-contained) and Markdown with score, recipe and sensitivity charts.")
                .WithExample("report", "my-search", "--storage", "seamless-studies.db", "--out", "my-search-report");
            c.AddCommand<DashboardCommand>("dashboard")
                .WithDescription("Serve a live, read-only web dashboard of a study store (SQLite or PostgreSQL) on 127.0.0.1.")
                .WithExample("dashboard", "--storage", "seamless-studies.db", "--port", "8765");
            c.AddCommand<OptimizeCommand>("optimize")
                .WithDescription("Optimise any black-box command over a box of parameters, in a durable, resumable study.")
                .WithExample("optimize", "--space", "space.json", "--objective-command", "python3 score.py", "--budget", "50", "--seed", "1");
            c.AddBranch("vocab", vocab =>
            {
                vocab.SetDescription("The CLIP vocabulary the embedded engine's tokenizer needs.");
                vocab.AddCommand<VocabFetchCommand>("fetch")
                    .WithDescription("Download CLIP's vocab.json + merges.txt once (the embedded engine then finds them).")
                    .WithExample("vocab", "fetch");
            });
            c.AddBranch("protocol", protocol =>
            {
                protocol.SetDescription("Benchmark protocols whose data is fetched, not bundled.");
                protocol.AddCommand<ProtocolFetchCommand>("fetch")
                    .WithDescription("Download a benchmark protocol's data (rimo: the original benchmark's tag list and categories) into the cache.")
                    .WithExample("protocol", "fetch", "rimo");
            });
            c.AddBranch("tagger", tagger =>
            {
                tagger.SetDescription("Taggers: fetch one from Hugging Face into a local folder.");
                tagger.AddCommand<TaggerFetchCommand>("fetch")
                    .WithDescription("Download a tagger (model + labels) from a Hugging Face repository and check that it loads.")
                    .WithExample("tagger", "fetch", "SmilingWolf/wd-eva02-large-tagger-v3", "--out", "taggers/wd-eva02-large-v3");
            });
            c.AddBranch("encoder", encoder =>
            {
                encoder.SetDescription("Image encoders for diversity: fetch CLIP ViT-B/32's from Hugging Face into a local folder.");
                encoder.AddCommand<EncoderFetchCommand>("fetch")
                    .WithDescription("Download an ONNX CLIP image encoder (default Xenova/clip-vit-base-patch32's vision model) and check that it loads.")
                    .WithExample("encoder", "fetch", "--out", "encoders/clip-vit-base-patch32");
            });
            c.AddBranch<StudySettings>("study", study =>
            {
                study.SetDescription("List, show and export stored studies.");
                study.AddCommand<StudyListCommand>("list").WithDescription("List the studies in a study file.");
                study.AddCommand<StudyShowCommand>("show").WithDescription("Show a study's trials and best point.");
                study.AddCommand<StudyExportCommand>("export").WithDescription("Export a study's trials as CSV or JSON.");
                study.AddCommand<StudyMigrateCommand>("migrate").WithDescription("Copy studies with all their trials to another storage (e.g. SQLite → PostgreSQL).");
            });
            c.SetExceptionHandler((exception, _) =>
            {
                switch (exception)
                {
                    case StopAfterParsing.Parsed:
                        return 0;
                    case OperationCanceledException:
                        consoles.WriteError("cancelled: unfinished outputs were discarded; a study continues with --resume");
                        return Cancelled;
                    case SeamlessException e:
                        consoles.WriteError(e.Message);
                        return UserError;
                    case CommandAppException e:
                        consoles.WriteError(e.Message);
                        return UsageError;
                    case IOException or UnauthorizedAccessException:
                        consoles.WriteError(exception.Message);
                        return UserError;
                    default:
                        consoles.WriteError($"internal error, please report it: {exception}");
                        return 70;
                }
            });
        });
        return app.Run(ListOptions.Expand(args), cancellationToken);
    }

    /// <summary>Ends a parse-only run once the settings are bound.</summary>
    private sealed class StopAfterParsing : ICommandInterceptor
    {
        public void Intercept(CommandContext context, CommandSettings settings) => throw new Parsed();

        public sealed class Parsed : Exception;
    }
}
