using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

public sealed class OptimizeSettings : SeamlessSettings
{
    [CommandOption("--space <SPACE.json>")]
    [Description("Parameters to search: {\"name\": [[low, high]], …}.")]
    public string? Space { get; init; }

    [CommandOption("--objective-command <CMD>")]
    [Description("Program that reads {\"trial\", \"params\", \"model\"} JSON on stdin and prints a number or {\"value\": …}.")]
    public string? ObjectiveCommand { get; init; }

    [CommandOption("--budget <N>")]
    [Description("Trials to finish (completed, failed or pruned). With --resume, raises the stored budget.")]
    public int? Budget { get; init; }

    [CommandOption("--seed <S>")]
    [DefaultValue(0)]
    public int Seed { get; init; }

    [CommandOption("--optimizer <NAME>")]
    [Description("gp (default: GP with log EI), gp-ucb, quasirandom or random.")]
    [DefaultValue("gp")]
    public string Optimizer { get; init; } = "gp";

    [CommandOption("--direction <DIR>")]
    [Description("maximize (default) or minimize.")]
    [DefaultValue("maximize")]
    public string Direction { get; init; } = "maximize";

    [CommandOption("--storage <FILE.db>")]
    [Description("SQLite study file (default: seamless-studies.db) or postgresql://user@host:port/db.")]
    [DefaultValue("seamless-studies.db")]
    public string Storage { get; init; } = "seamless-studies.db";

    [CommandOption("--name <NAME>")]
    [Description("Study name (default: optimize-<UTC time>).")]
    public string? Name { get; init; }

    [CommandOption("--resume <NAME>")]
    [Description("Continue a stored study to its budget; trials that were running are re-queued.")]
    public string? Resume { get; init; }

    [CommandOption("--low-fidelity <F>")]
    [Description("Explore at this fidelity (0–1, passed to the objective as \"fidelity\") and promote the best to full; the budget then counts full evaluations.")]
    public double? LowFidelity { get; init; }

    [CommandOption("--promote <SHARE>")]
    [Description("With --low-fidelity: full evaluations per low one (default 0.25).")]
    [DefaultValue(0.25)]
    public double Promote { get; init; } = 0.25;

    [CommandOption("--timeout <SECONDS>")]
    [Description("Fail a trial whose objective runs longer than this.")]
    public double? Timeout { get; init; }

    protected override ValidationResult Check()
    {
        var problems = new List<string>();
        if (Resume is null)
        {
            if (Space is null)
            {
                problems.Add("--space is required");
            }
            else if (!File.Exists(Space))
            {
                problems.Add($"{Space} not found");
            }

            if (string.IsNullOrWhiteSpace(ObjectiveCommand))
            {
                problems.Add("--objective-command is required");
            }

            if (Budget is null)
            {
                problems.Add("--budget is required");
            }
        }

        if (Budget is < 1)
        {
            problems.Add("--budget must be at least 1");
        }

        if (Optimizer is not ("gp" or "gp-ucb" or "quasirandom" or "random"))
        {
            problems.Add($"--optimizer '{Optimizer}' is not gp, gp-ucb, quasirandom or random");
        }

        if (Direction is not ("maximize" or "minimize"))
        {
            problems.Add($"--direction '{Direction}' is not maximize or minimize");
        }

        if (LowFidelity is { } low && !new Seamless.Search.Studies.FidelityPlan(low, Promote).IsValid(out var fidelityProblem))
        {
            problems.Add(fidelityProblem);
        }

        if (Timeout is <= 0)
        {
            problems.Add("--timeout must be positive");
        }

        return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join("; ", problems));
    }
}
