using Seamless.Architecture;
using Seamless.Evaluation.Fabrication;
using Seamless.Evaluation.Generation;
using Seamless.Evaluation.Images;
using Seamless.Evaluation.Tags;
using Seamless.Fabrication;
using Seamless.Numerics;
using Seamless.Safetensors;

namespace Seamless.Benchmarks.Landscapes;

/// <summary>
/// A backend for the end-to-end check: a candidate checkpoint's per-block merge weights are read back from its tensors
/// (each block's difference from the base projected, by least squares, on the input models' differences — exact for
/// any linear merge, rounds of merges included), the suite landscape gives its accuracy p, and each prompt tag of each
/// image is painted, for the tiny tagger to find, when a draw fixed by (seed, tag) falls below p. So a search sees
/// binomial noise with common random numbers across candidates, as fixed seeds give on a real backend.
/// </summary>
internal sealed class LandscapeGenerator : IImageGenerator
{
    private const int ProbeElements = 4096;
    private readonly MergeLandscape _landscape;

    /// <summary>The landscape that drives the images.</summary>
    public MergeLandscape Landscape => _landscape;
    private readonly TinyWorld _world;
    private readonly IReadOnlyList<string> _blocks;
    private readonly double[][] _base;
    private readonly double[][][] _models;
    private readonly Dictionary<string, int> _tagIndex;

    public LandscapeGenerator(MergeLandscape landscape, TinyWorld world, string basePath, IReadOnlyList<string> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        _landscape = landscape;
        _world = world;
        _blocks = BlockMap.LayoutOf(ModelArchitecture.SD1).StandardBlocks;
        _base = Probe(basePath);
        _models = [.. models.Select(Probe)];
        _tagIndex = world.Tags.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i, StringComparer.Ordinal);
    }

    public string Name => $"landscape@{_landscape.Family}/{_landscape.Seed}";

    /// <summary>Weights of each input model per standard block, w[m · blocks + b], as the landscape indexes them.</summary>
    public double[] WeightsOf(string path)
    {
        var probe = Probe(path);
        var m = _models.Length;
        var w = new double[m * _blocks.Count];
        for (var b = 0; b < _blocks.Count; b++)
        {
            // Normal equations of min ‖(x − base) − Σ wₘ (modelₘ − base)‖² over this block's probe elements.
            var gram = new double[m, m];
            var rhs = new double[m];
            var n = _base[b].Length;
            for (var i = 0; i < n; i++)
            {
                var target = probe[b][i] - _base[b][i];
                for (var p = 0; p < m; p++)
                {
                    var dp = _models[p][b][i] - _base[b][i];
                    rhs[p] += dp * target;
                    for (var q = 0; q < m; q++)
                    {
                        gram[p, q] += dp * (_models[q][b][i] - _base[b][i]);
                    }
                }
            }

            var solved = Solve(gram, rhs);
            for (var p = 0; p < m; p++)
            {
                w[(p * _blocks.Count) + b] = solved[p];
            }
        }

        return w;
    }

    public Task<IGenerationSession> OpenAsync(CandidateModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var p = _landscape.AccuracyOfWeights(WeightsOf(model.RequireFile(Name)));
        return Task.FromResult<IGenerationSession>(new Session(this, p));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Per standard block, the first elements of each of its tensors (name order), as doubles.</summary>
    private double[][] Probe(string path)
    {
        using var file = SafetensorsFile.Open(path);
        var map = new BlockMap(ModelArchitecture.SD1, BlockMapOptions.Default);
        var lists = _blocks.Select(_ => new List<double>()).ToArray();
        var buffer = new float[ProbeElements];
        foreach (var info in file.Tensors.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var block = info.DType.IsWritableFloat() ? map.Resolve(info.Name) : null;
            var b = block is null ? -1 : _blocks.ToList().IndexOf(block);
            if (b < 0)
            {
                continue;
            }

            var n = (int)Math.Min(ProbeElements, info.ElementCount);
            var bytes = new byte[n * info.DType.Size()];
            file.Read(info, 0, bytes);
            TensorConvert.ToSingle(bytes, info.DType, buffer.AsSpan(0, n));
            for (var i = 0; i < n; i++)
            {
                lists[b].Add(buffer[i]);
            }
        }

        return [.. lists.Select(l => l.ToArray())];
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        // Gaussian elimination with partial pivoting; m is the number of input models (2 or 3).
        var n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (var c = 0; c < n; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < n; r++)
            {
                if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c]))
                {
                    pivot = r;
                }
            }

            for (var k = 0; k < n; k++)
            {
                (m[c, k], m[pivot, k]) = (m[pivot, k], m[c, k]);
            }

            (x[c], x[pivot]) = (x[pivot], x[c]);
            for (var r = c + 1; r < n; r++)
            {
                var f = m[r, c] / m[c, c];
                for (var k = c; k < n; k++)
                {
                    m[r, k] -= f * m[c, k];
                }

                x[r] -= f * x[c];
            }
        }

        for (var c = n - 1; c >= 0; c--)
        {
            for (var k = c + 1; k < n; k++)
            {
                x[c] -= m[c, k] * x[k];
            }

            x[c] /= m[c, c];
        }

        return x;
    }

    private sealed class Session(LandscapeGenerator owner, double p) : IGenerationSession
    {
        public Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(request);
            var world = owner._world;
            var tags = TagText.SplitPrompt(request.Prompt).Where(owner._tagIndex.ContainsKey).Select(t => owner._tagIndex[t]).Distinct().ToArray();
            var images = new List<GeneratedImage>(request.Count);
            for (var k = 0; k < request.Count; k++)
            {
                var seed = request.Seed + k;
                var field = new double[TinyWorld.Features];
                foreach (var t in tags)
                {
                    // The same (seed, tag) draw for every candidate: fixed seeds make candidates' outcomes correlated.
                    var draw = new SplitMix64(unchecked(((ulong)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)(t + 1) * 0xC2B2AE3D27D4EB4FUL))).NextDouble();
                    if (draw < p)
                    {
                        var pattern = world.Pattern(t);
                        for (var f = 0; f < field.Length; f++)
                        {
                            field[f] += TinyWorld.Amplitude * pattern[f];
                        }
                    }
                }

                var quiet = new SplitMix64(0);
                images.Add(GeneratedImage.FromPixels(seed, TinyWorld.Paint(field, ref quiet, noise: 0)));
            }

            return Task.FromResult<IReadOnlyList<GeneratedImage>>(images);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
