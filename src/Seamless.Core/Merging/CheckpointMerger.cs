using System.Diagnostics;
using Seamless.Architecture;
using Seamless.Errors;
using Seamless.Hashing;
using Seamless.Safetensors;

namespace Seamless.Merging;

/// <summary>
/// The file merge end to end: open and validate every input, check they share one architecture, plan, hash the
/// inputs (cached), and stream the result to <paramref name="outputPath"/>.
/// </summary>
public sealed class CheckpointMerger(FileHasher? hasher = null, MergeExecutorOptions? options = null)
{
    private readonly FileHasher _hasher = hasher ?? new FileHasher();

    public MergeResult Merge(MergeRecipe recipe, string outputPath, IProgress<MergeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var output = Path.GetFullPath(outputPath);
        foreach (var input in recipe.InputPaths)
        {
            if (string.Equals(Path.GetFullPath(input), output, StringComparison.Ordinal))
            {
                throw new RecipeException(outputPath, "the output would replace an input model; choose another output path");
            }
        }

        var files = OpenAll(recipe.InputPaths);
        try
        {
            var architecture = CommonArchitecture(files);
            var plan = MergePlanner.Plan(recipe, files.Select(f => f.Header).ToList(), architecture);
            var hashes = files.Select(f => _hasher.Hash(f.Path)).ToList();
            var metadata = MergeMetadata.Build(plan, hashes, files.Select(f => f.Metadata).ToList(), output);
            new MergeExecutor(options).Execute(plan, files, output, metadata, progress, cancellationToken);
            return new MergeResult(output, plan, clock.Elapsed);
        }
        finally
        {
            foreach (var f in files)
            {
                f.Dispose();
            }
        }
    }

    /// <summary>Opens every file, collecting all failures into one error rather than stopping at the first.</summary>
    public static List<SafetensorsFile> OpenAll(IReadOnlyList<string> paths)
    {
        var files = new List<SafetensorsFile>();
        var errors = new List<SeamlessException>();
        foreach (var path in paths)
        {
            try
            {
                files.Add(SafetensorsFile.Open(path));
            }
            catch (SeamlessException e)
            {
                errors.Add(e);
            }
        }

        if (errors.Count == 0)
        {
            return files;
        }

        foreach (var f in files)
        {
            f.Dispose();
        }

        if (errors.Count == 1)
        {
            throw errors[0];
        }

        throw new RecipeException(null, errors.Select(e => e.Message).ToList());
    }

    public static ModelArchitecture CommonArchitecture(IReadOnlyList<SafetensorsFile> files)
    {
        var first = ArchitectureDetector.Detect(files[0]);
        foreach (var file in files.Skip(1))
        {
            var other = ArchitectureDetector.Detect(file);
            if (other != first)
            {
                throw new CheckpointException(file.Path, CheckpointError.ArchitectureMismatch,
                    $"is {other} but {Path.GetFileName(files[0].Path)} is {first}; models of different architectures cannot be merged");
            }
        }

        return first;
    }
}
