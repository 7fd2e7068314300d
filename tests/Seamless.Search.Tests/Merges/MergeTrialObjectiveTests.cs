using Seamless.Search.Merges;
using Seamless.Search.Objectives;

namespace Seamless.Tests.Merges;

public sealed class MergeTrialObjectiveTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("seamless-trial-objective-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(int number, IReadOnlyDictionary<string, double> parameters, CancellationToken ct)
    {
        var path = Path.Combine(_folder, $"trial{number}.safetensors");
        File.WriteAllText(path, string.Join(",", parameters.Values));
        return path;
    }

    private static readonly Dictionary<string, double> Params = new() { ["a:IN00"] = 0.25 };

    [Fact]
    public async Task EvaluateAsync_FileObjective_ScoresTheWrittenMergeThenDeletesIt()
    {
        var inner = new Recording();
        var result = await new MergeTrialObjective(inner, Write, deleteAfter: true).EvaluateAsync(4, Params, 0.5, CancellationToken.None);
        Assert.Equal(0.7, result.Value);
        Assert.Equal(Path.Combine(_folder, "trial4.safetensors"), inner.Path);
        Assert.Equal("0.25", inner.Content);
        Assert.Equal(0.5, inner.Fidelity);
        Assert.False(File.Exists(inner.Path));
    }

    [Fact]
    public async Task EvaluateAsync_KeptFiles_LeftForKeepBest()
    {
        var inner = new Recording();
        await new MergeTrialObjective(inner, Write, deleteAfter: false).EvaluateAsync(1, Params, 1, CancellationToken.None);
        Assert.True(File.Exists(inner.Path));
    }

    [Fact]
    public async Task EvaluateAsync_ScoringFails_FileStillDeleted()
    {
        var inner = new Recording { Fail = true };
        await Assert.ThrowsAsync<ObjectiveFailedException>(() => new MergeTrialObjective(inner, Write, deleteAfter: true).EvaluateAsync(2, Params, 1, CancellationToken.None));
        Assert.NotNull(inner.Path);
        Assert.False(File.Exists(inner.Path));
    }

    [Fact]
    public async Task EvaluateAsync_InMemoryObjective_NoFileWritten()
    {
        var inner = new Recording { Merges = true };
        await new MergeTrialObjective(inner, (_, _, _) => throw new InvalidOperationException("nothing should be written"), deleteAfter: true).EvaluateAsync(3, Params, 1, CancellationToken.None);
        Assert.True(inner.Called);
        Assert.Null(inner.Path);
    }

    private sealed class Recording : IMergeObjective
    {
        public bool Fail { get; init; }

        public bool Merges { get; init; }

        public bool InMemory => Merges;

        public bool Called { get; private set; }

        public string? Path { get; private set; }

        public string? Content { get; private set; }

        public double Fidelity { get; private set; }

        public Task<ObjectiveResult> EvaluateAsync(int trialNumber, IReadOnlyDictionary<string, double> parameters, string? modelPath, double fidelity, CancellationToken cancellationToken)
        {
            (Called, Path, Fidelity) = (true, modelPath, fidelity);
            Content = modelPath is null ? null : File.ReadAllText(modelPath);
            return Fail ? throw new ObjectiveFailedException("backend down") : Task.FromResult(new ObjectiveResult(0.7));
        }
    }
}
