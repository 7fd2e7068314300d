using System.Text.Json;
using Google.Protobuf;
using Onnx;
using Seamless.Evaluation.Diversity;

namespace Seamless.Tagging.Onnx.Fabrication;

/// <summary>
/// The weights of a tiny, real ONNX image encoder: average-pool the crop² input in <see cref="Pool"/>² cells, flatten
/// (channel, row, column), then <c>tanh(x · W1 + B1) · W2</c>. Small enough to restate in numpy for the golden test,
/// and shaped like CLIP's vision model at its edges (input <c>pixel_values</c>, output <c>image_embeds</c>).
/// </summary>
public sealed record TinyEncoderWeights(int CropSize, int Pool, int Hidden, int Embed, float[] W1, float[] B1, float[] W2)
{
    public int Features => 3 * (CropSize / Pool) * (CropSize / Pool);

    /// <summary>Weights drawn uniformly in ±1/√fan-in from a seed (the quickstart's encoder).</summary>
    public static TinyEncoderWeights Random(int seed, int cropSize = 16, int pool = 4, int hidden = 16, int embed = 8)
    {
        var rng = new Random(seed);
        var features = 3 * (cropSize / pool) * (cropSize / pool);
        float Draw(int fanIn) => (float)(((rng.NextDouble() * 2) - 1) / Math.Sqrt(fanIn));
        return new TinyEncoderWeights(cropSize, pool, hidden, embed,
            [.. Enumerable.Range(0, features * hidden).Select(_ => Draw(features) * 8)],
            [.. Enumerable.Range(0, hidden).Select(_ => Draw(hidden))],
            [.. Enumerable.Range(0, hidden * embed).Select(_ => Draw(hidden))]);
    }
}

/// <summary>Writes a <see cref="TinyEncoderWeights"/> model as <c>model.onnx</c> with its <c>preprocessor_config.json</c>.</summary>
public static class TinyEncoderBuilder
{
    public static EncoderSpec Write(string folder, TinyEncoderWeights weights, int shortestEdge, float[]? mean = null, float[]? std = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Directory.CreateDirectory(folder);
        var clip = EncoderSpec.Clip(string.Empty);
        var modelPath = Path.Combine(folder, "model.onnx");
        Seamless.IO.AtomicFile.WriteAllBytes(modelPath, Build(weights).ToByteArray());
        var config = new Dictionary<string, object>
        {
            ["do_resize"] = true,
            ["size"] = new Dictionary<string, int> { ["shortest_edge"] = shortestEdge },
            ["do_center_crop"] = true,
            ["crop_size"] = new Dictionary<string, int> { ["height"] = weights.CropSize, ["width"] = weights.CropSize },
            ["do_normalize"] = true,
            ["image_mean"] = mean ?? clip.Mean,
            ["image_std"] = std ?? clip.Std,
            ["resample"] = 3,
        };
        Seamless.IO.AtomicFile.WriteAllBytes(Path.Combine(folder, EncoderSpecLoader.PreprocessorFileName), JsonSerializer.SerializeToUtf8Bytes(config));
        return EncoderSpecLoader.Load(folder);
    }

    private static ModelProto Build(TinyEncoderWeights w)
    {
        if (w.CropSize % w.Pool != 0 || w.W1.Length != w.Features * w.Hidden || w.B1.Length != w.Hidden || w.W2.Length != w.Hidden * w.Embed)
        {
            throw new ArgumentException("weights do not match the encoder's shape", nameof(w));
        }

        var g = new GraphProto { Name = "seamless-tiny-encoder" };
        g.Input.Add(OnnxGraph.Value("pixel_values", [-1, 3, w.CropSize, w.CropSize]));
        g.Output.Add(OnnxGraph.Value("image_embeds", [-1, w.Embed]));
        g.Initializer.Add(OnnxGraph.Floats("W1", [w.Features, w.Hidden], w.W1));
        g.Initializer.Add(OnnxGraph.Floats("B1", [w.Hidden], w.B1));
        g.Initializer.Add(OnnxGraph.Floats("W2", [w.Hidden, w.Embed], w.W2));
        g.Initializer.Add(OnnxGraph.Longs("flat_shape", [2], [-1, w.Features]));
        g.Node.Add(OnnxGraph.Node("AveragePool", ["pixel_values"], "pooled", ("kernel_shape", new long[] { w.Pool, w.Pool }), ("strides", new long[] { w.Pool, w.Pool })));
        g.Node.Add(OnnxGraph.Node("Reshape", ["pooled", "flat_shape"], "features"));
        g.Node.Add(OnnxGraph.Node("MatMul", ["features", "W1"], "hidden_in"));
        g.Node.Add(OnnxGraph.Node("Add", ["hidden_in", "B1"], "hidden_pre"));
        g.Node.Add(OnnxGraph.Node("Tanh", ["hidden_pre"], "hidden"));
        g.Node.Add(OnnxGraph.Node("MatMul", ["hidden", "W2"], "image_embeds"));
        return OnnxGraph.Model(g, "tiny-encoder-1");
    }
}
