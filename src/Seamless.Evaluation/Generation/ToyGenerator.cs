using Seamless.Architecture;
using Seamless.Evaluation.Fabrication;
using Seamless.Evaluation.Images;
using Seamless.Evaluation.Tags;
using Seamless.Fabrication;
using Seamless.Numerics;
using Seamless.Safetensors;

namespace Seamless.Evaluation.Generation;

/// <summary>
/// Not a diffusion model: the quickstart's stand-in until the embedded engine lands, honest in one respect that
/// matters: its images depend on the candidate's weights. Each UNet block's weights are projected on a fixed random
/// direction and standardised against the reference models; a <see cref="TinyWorld"/> turns those block features
/// into a per-tag skill, and each image paints every prompt tag's pattern with that strength (plus per-seed
/// jitter). Merges are linear in the weights, so the score is a smooth function of the block weights.
/// </summary>
public sealed class ToyGenerator : IImageGenerator
{
    private const int ProbeElements = 4096;
    private readonly TinyWorld _world;
    private readonly double[] _mean;
    private readonly double[] _scale;
    private readonly Dictionary<string, int> _tagIndex;

    public ToyGenerator(TinyWorld world, IReadOnlyList<string> referenceModels)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(referenceModels);
        _world = world;
        _tagIndex = world.Tags.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i, StringComparer.Ordinal);
        var features = referenceModels.Select(BlockFeatures).ToList();
        _mean = new double[world.Blocks];
        _scale = new double[world.Blocks];
        for (var b = 0; b < world.Blocks; b++)
        {
            var values = features.Select(f => f[b]).ToArray();
            _mean[b] = values.Length == 0 ? 0 : values.Average();
            var sd = values.Length < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - _mean[b]) * (v - _mean[b])) / (values.Length - 1));
            _scale[b] = sd > 0 ? 1 / sd : 1;
        }
    }

    public string Name => $"toy@{_world.Seed}";

    public Task<IGenerationSession> OpenAsync(CandidateModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var raw = BlockFeatures(model.RequireFile("the toy backend"));
        var z = new double[raw.Length];
        for (var b = 0; b < raw.Length; b++)
        {
            z[b] = (raw[b] - _mean[b]) * _scale[b];
        }

        return Task.FromResult<IGenerationSession>(new Session(this, z));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Per standard block, Σ over its UNet tensors of ⟨first 4096 weights, fixed random direction⟩ / √n.</summary>
    private double[] BlockFeatures(string path)
    {
        using var file = SafetensorsFile.Open(path);
        var architecture = ArchitectureDetector.Detect(file);
        var map = new BlockMap(architecture, BlockMapOptions.Default);
        var blocks = map.Layout.StandardBlocks;
        var sums = new double[_world.Blocks];
        var buffer = new float[ProbeElements];
        foreach (var info in file.Tensors.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            if (!info.Name.StartsWith("model.diffusion_model.", StringComparison.Ordinal) || !info.DType.IsWritableFloat())
            {
                continue;
            }

            var block = map.Resolve(info.Name);
            var b = block is null ? -1 : IndexOf(blocks, block);
            if (b < 0 || b >= sums.Length)
            {
                continue;
            }

            var n = (int)Math.Min(ProbeElements, info.ElementCount);
            var bytes = new byte[n * info.DType.Size()];
            file.Read(info, 0, bytes);
            TensorConvert.ToSingle(bytes, info.DType, buffer.AsSpan(0, n));
            var rng = new SplitMix64(Hashing.StableHash.Of(info.Name));
            var dot = 0.0;
            for (var i = 0; i < n; i++)
            {
                dot += buffer[i] * rng.NextSignedUnit();
            }

            sums[b] += dot / Math.Sqrt(n);
        }

        return sums;
    }

    private static int IndexOf(IReadOnlyList<string> blocks, string block)
    {
        for (var i = 0; i < blocks.Count; i++)
        {
            if (blocks[i] == block)
            {
                return i;
            }
        }

        return -1;
    }

    private sealed class Session(ToyGenerator owner, double[] features) : IGenerationSession
    {
        public Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(request);
            var world = owner._world;
            var tags = TagText.SplitPrompt(request.Prompt)
                .Select(t => owner._tagIndex.TryGetValue(t, out var i) ? i : -1)
                .Where(i => i >= 0)
                .Distinct()
                .ToArray();
            var skills = tags.Select(t => world.Skill(t, features)).ToArray();
            var images = new List<GeneratedImage>(request.Count);
            for (var k = 0; k < request.Count; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var seed = request.Seed + k;
                var rng = new SplitMix64((ulong)seed * 0x9E3779B97F4A7C15UL);
                var field = new double[TinyWorld.Features];
                for (var j = 0; j < tags.Length; j++)
                {
                    var strength = Math.Clamp(skills[j] + (0.25 * rng.NextSignedUnit()), 0, 1);
                    var pattern = world.Pattern(tags[j]);
                    for (var f = 0; f < field.Length; f++)
                    {
                        field[f] += strength * TinyWorld.Amplitude * pattern[f];
                    }
                }

                images.Add(GeneratedImage.FromPixels(seed, TinyWorld.Paint(field, ref rng, noise: 4)));
            }

            return Task.FromResult<IReadOnlyList<GeneratedImage>>(images);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
