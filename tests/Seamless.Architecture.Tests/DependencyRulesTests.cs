using System.Reflection;
using System.Xml.Linq;
using NetArchTest.Rules;

namespace Seamless.Tests;

/// <summary>
/// The dependency rules the layout promises (README, "Layout"), checked on the project files and on the compiled types:
/// Core depends on nothing of ours, each heavy dependency enters at one project, front ends sit on top and nothing
/// depends on them, and the pure parts (merge methods, optimisers) do no I/O.
/// </summary>
public sealed class DependencyRulesTests
{
    private static readonly string Root = FindRoot();

    /// <summary>Package (or framework) → the only src projects allowed to reference it.</summary>
    private static readonly Dictionary<string, string[]> HeavyHomes = new(StringComparer.Ordinal)
    {
        ["TorchSharp"] = ["Seamless.Engine.Torch"],
        ["libtorch-cpu-linux-x64"] = ["Seamless.Engine.Torch"],
        ["TorchSharp-cuda-linux"] = ["Seamless.Engine.Torch"],
        ["Microsoft.ML.OnnxRuntime"] = ["Seamless.Tagging.Onnx"],
        ["Microsoft.ML.OnnxRuntime.Gpu.Linux"] = ["Seamless.Tagging.Onnx"],
        ["OnnxSharp"] = ["Seamless.Tagging.Onnx"],
        ["Npgsql"] = ["Seamless.Storage.Postgres"],
        ["Microsoft.Data.Sqlite"] = ["Seamless.Storage.Sqlite"],
        ["SkiaSharp"] = ["Seamless.Imaging"],
        ["ScottPlot"] = ["Seamless.Reports"],
        ["Spectre.Console"] = ["Seamless.Cli"],
        ["Spectre.Console.Cli"] = ["Seamless.Cli"],
        ["Microsoft.AspNetCore.App"] = ["Seamless.Dashboard"],
        ["Polly.Core"] = ["Seamless.Backends.Web", "Seamless.Storage.Postgres"],
    };

    private static readonly string[] FrontEnds = ["Seamless.Cli", "Seamless.Dashboard"];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Seamless.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Seamless.slnx not found above the test's folder");
    }

    private static Dictionary<string, (List<string> Projects, List<string> Packages)> SrcProjects() =>
        Directory.GetFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories).ToDictionary(
            p => Path.GetFileNameWithoutExtension(p),
            p =>
            {
                var xml = XDocument.Load(p);
                List<string> Items(string kind) => xml.Descendants(kind).Select(e => (string?)e.Attribute("Include")).OfType<string>().ToList();
                return (Items("ProjectReference").Select(Path.GetFileNameWithoutExtension).OfType<string>().ToList(), Items("PackageReference").Concat(Items("FrameworkReference")).ToList());
            });

    [Fact]
    public void Core_ReferencesNoProjectOfOurs()
    {
        var projects = SrcProjects();
        Assert.Empty(projects["Seamless.Core"].Projects);
        var core = Types.InAssembly(typeof(Seamless.Merging.MergeRecipe).Assembly)
            .ShouldNot().HaveDependencyOnAny("Seamless.Search", "Seamless.Evaluation", "Seamless.Reports", "Seamless.Dashboard", "Seamless.Cli", "Seamless.Backends")
            .GetResult();
        Assert.True(core.IsSuccessful, Failing(core));
    }

    [Fact]
    public void HeavyDependencies_EachEntersAtItsOwnProject()
    {
        var wrong = SrcProjects()
            .SelectMany(p => p.Value.Packages.Where(HeavyHomes.ContainsKey).Where(package => !HeavyHomes[package].Contains(p.Key)).Select(package => $"{p.Key} references {package}"))
            .ToList();
        Assert.Empty(wrong);
    }

    [Fact]
    public void FrontEnds_NothingButTheCliDependsOnThem()
    {
        var wrong = SrcProjects()
            .SelectMany(p => p.Value.Projects.Where(FrontEnds.Contains).Where(_ => p.Key != "Seamless.Cli").Select(r => $"{p.Key} references {r}"))
            .ToList();
        Assert.Empty(wrong);
        Assert.DoesNotContain(SrcProjects(), p => p.Value.Projects.Contains("Seamless.Cli"));
    }

    [Fact]
    public void ApplicationDashboardAndReports_NoConsoleRendering()
    {
        foreach (var assembly in new[] { typeof(Seamless.Application.Execution.StudyExecution).Assembly, typeof(Seamless.Dashboard.DashboardServer).Assembly, typeof(Seamless.Reports.Model.ReportBuilder).Assembly })
        {
            var r = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny("Spectre.Console", "Seamless.Cli").GetResult();
            Assert.True(r.IsSuccessful, Failing(r));
        }
    }

    [Fact]
    public void Application_DependsOnNoFrontEnd()
    {
        Assert.DoesNotContain(SrcProjects()["Seamless.Application"].Projects, FrontEnds.Contains);
        var r = Types.InAssembly(typeof(Seamless.Application.Execution.StudyExecution).Assembly)
            .ShouldNot().HaveDependencyOnAny("Seamless.Cli", "Seamless.Dashboard", "Microsoft.AspNetCore").GetResult();
        Assert.True(r.IsSuccessful, Failing(r));
    }

    [Fact]
    public void Search_OptimisersStudiesAndObjectivesOnly()
    {
        // Merge searches (checkpoints, recipes, tag accuracy) live in Seamless.Search.Merges, on top of Seamless.Search.
        var search = Types.InAssembly(typeof(Seamless.Search.Optimizers.GaussianProcess).Assembly)
            .ShouldNot().HaveDependencyOnAny("Seamless.Search.Merges", "Seamless.Evaluation", "Seamless.Merging", "Seamless.Safetensors").GetResult();
        Assert.True(search.IsSuccessful, Failing(search));
        Assert.DoesNotContain("Seamless.Search", SrcProjects()["Seamless.Evaluation"].Projects);

        // An objective scores parameters; a candidate file is a merge search's concern (MergeTrialObjective).
        var evaluate = typeof(Seamless.Search.Objectives.IObjective).GetMethod(nameof(Seamless.Search.Objectives.IObjective.EvaluateAsync))!;
        Assert.DoesNotContain(evaluate.GetParameters(), p => p.ParameterType == typeof(string));
    }

    [Fact]
    public void ImagingAndBackends_OnTheContractsNotTheEvaluation()
    {
        // Generators, codecs and errors are contracts (Seamless.Evaluation.Contracts); what implements them does not
        // see prompts, scoring or the evaluator.
        var projects = SrcProjects();
        Assert.Equal(["Seamless.Core"], projects["Seamless.Evaluation.Contracts"].Projects);
        foreach (var name in new[] { "Seamless.Imaging", "Seamless.Backends.Web", "Seamless.Backends.Embedded" })
        {
            Assert.Contains("Seamless.Evaluation.Contracts", projects[name].Projects);
            Assert.DoesNotContain("Seamless.Evaluation", projects[name].Projects);
        }

        var contracts = typeof(Seamless.Evaluation.Generation.IImageGenerator).Assembly;
        Assert.Equal("Seamless.Evaluation.Contracts", contracts.GetName().Name);
        Assert.Same(contracts, typeof(Seamless.Evaluation.Tagging.IImageTagger).Assembly);
        Assert.Same(contracts, typeof(Seamless.Evaluation.Images.IImageCodec).Assembly);
        foreach (var assembly in new[] { typeof(Seamless.Imaging.SkiaImageCodec).Assembly, typeof(Seamless.Backends.Web.A1111.A1111Generator).Assembly })
        {
            var referenced = assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
            Assert.DoesNotContain("Seamless.Evaluation", referenced);
        }
    }

    [Fact]
    public void MergeMethodsAndOptimisers_DoNoIo()
    {
        var methods = Types.InAssembly(typeof(Seamless.Merging.MergeRecipe).Assembly).That().ResideInNamespace("Seamless.Merging.Methods")
            .ShouldNot().HaveDependencyOnAny("System.IO", "System.Net", "Seamless.Safetensors").GetResult();
        Assert.True(methods.IsSuccessful, Failing(methods));
        var optimisers = Types.InAssembly(typeof(Seamless.Search.Optimizers.GaussianProcess).Assembly).That().ResideInNamespace("Seamless.Search.Optimizers")
            .ShouldNot().HaveDependencyOnAny("System.IO", "System.Net", "Seamless.Search.Studies").GetResult();
        Assert.True(optimisers.IsSuccessful, Failing(optimisers));
    }

    private static string Failing(TestResult r) => string.Join(", ", r.FailingTypeNames ?? []);
}
