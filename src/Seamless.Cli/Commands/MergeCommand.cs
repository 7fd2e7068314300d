using System.Globalization;
using Seamless.Cli.Infrastructure;
using Seamless.Errors;
using Seamless.Merging;
using Seamless.Safetensors;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary><c>seamless merge</c>: recipe → plan → streamed output.</summary>
public sealed class MergeCommand(CliConsoles consoles) : Command<MergeSettings>
{
    public override int Execute(CommandContext context, MergeSettings settings, CancellationToken cancellationToken)
    {
        var recipe = settings.Recipe is not null ? RecipeLoader.Load(settings.Recipe) : FromFlags(settings);
        if (settings.DryRun)
        {
            var files = CheckpointMerger.OpenAll(recipe.InputPaths);
            try
            {
                var plan = MergePlanner.Plan(recipe, files.Select(f => f.Header).ToList(), CheckpointMerger.CommonArchitecture(files));
                PrintPlan(plan);
            }
            finally
            {
                files.ForEach(f => f.Dispose());
            }

            return 0;
        }

        var merger = new CheckpointMerger(options: new MergeExecutorOptions(settings.Threads));
        var result = ProgressReporter.Run(consoles, "merging", p => merger.Merge(recipe, settings.Out!, p, cancellationToken));
        foreach (var warning in result.Plan.Warnings)
        {
            consoles.WriteWarning(warning);
        }

        var merged = result.Plan.Tensors.Count(t => !t.RawCopy);
        consoles.Out.MarkupLine(Markup.Escape($"Wrote {result.OutputPath} ({result.Plan.Architecture}, {result.Plan.Tensors.Count} tensors, {merged} merged, {result.Plan.OutputBytes / 1e6:F1} MB) in {result.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    private void PrintPlan(MergePlan plan)
    {
        var o = consoles.Out;
        o.MarkupLine(Markup.Escape($"{plan.Architecture}: {plan.Recipe.Method} ({MergeMethods.Get(plan.Recipe.Method).Formula}), output {plan.Recipe.OutputDType}, {plan.Recipe.BlockMapOptions.Describe()}"));
        var table = new Table().Border(TableBorder.Simple).AddColumn("block");
        foreach (var model in plan.Recipe.Models)
        {
            table.AddColumn(new TableColumn(Markup.Escape(Path.GetFileName(model.Path))).RightAligned());
        }

        foreach (var block in plan.BlockMap.Layout.Blocks)
        {
            table.AddRow([block, .. plan.ModelWeights.Select(w => w[block].ToString("0.####", CultureInfo.InvariantCulture))]);
        }

        o.Write(table);
        o.MarkupLine(Markup.Escape($"{plan.Tensors.Count} tensors, {plan.Tensors.Count(t => !t.RawCopy)} merged; reads {plan.InputBytes / 1e6:F1} MB, writes {plan.OutputBytes / 1e6:F1} MB"));
        foreach (var warning in plan.Warnings)
        {
            consoles.WriteWarning(warning);
        }
    }

    private static MergeRecipe FromFlags(MergeSettings settings)
    {
        var problems = new List<string>();
        var models = new List<RecipeModel>();
        if (settings.Subtract.Length > 0 && settings.Subtract.Length != settings.Models.Length)
        {
            problems.Add($"{settings.Subtract.Length} --subtract for {settings.Models.Length} --model; give one per model");
        }

        for (var i = 0; i < settings.Models.Length; i++)
        {
            var text = settings.Models[i];
            var at = text.LastIndexOf('@');
            if (at <= 0)
            {
                problems.Add($"--model '{text}' needs weights: PATH@WEIGHTS");
                continue;
            }

            var local = new List<string>();
            var weights = WeightSpec.Parse(text[(at + 1)..], null, local);
            problems.AddRange(local.Select(p => $"--model {text}: {p}"));
            var subtract = settings.Subtract.Length == settings.Models.Length ? Path.GetFullPath(settings.Subtract[i]) : null;
            models.Add(new RecipeModel(Path.GetFullPath(text[..at]), weights, subtract));
        }

        var dtype = DType.F16;
        if (settings.DType is not null && !DTypeExtensions.TryParseUserName(settings.DType, out dtype))
        {
            problems.Add($"--dtype '{settings.DType}' is not one of fp16, bf16, fp32");
        }

        var recipe = new MergeRecipe(Path.GetFullPath(settings.Base!), settings.Method ?? (settings.Subtract.Length > 0 ? "add_difference" : "weighted_sum"), models, dtype);
        return RecipeLoader.Validate(recipe, problems);
    }
}
