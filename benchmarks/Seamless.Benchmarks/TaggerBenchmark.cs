using System.Diagnostics;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Onnx;
using Seamless.Evaluation.Images;
using Seamless.Evaluation.Tagging;
using Seamless.Tagging.Onnx;
using Seamless.Tagging.Onnx.Fabrication;

namespace Seamless.Benchmarks;

/// <summary>
/// Tagging throughput on a tagger-sized ONNX model (WD layout: NHWC 448², BGR 0–255, 10 861 labels; a conv stack of
/// ≈8.4 GMAC per image): bare <c>InferenceSession.Run</c> on prepared batches, against
/// <see cref="OnnxTagger.TagAsync"/> on 512² RGBA images (pad, bicubic resize and layout overlapped with the previous
/// batch's Run), and against preprocessing and Run one after the other. Same batches, same process, same run.
/// </summary>
internal static class TaggerBenchmark
{
    private const int Size = 448;
    private const int Labels = 10861;

    public static int Run(string[] args)
    {
        var a = new BenchmarkArgs(args);
        var images = int.Parse(a.Get("images", "64"), CultureInfo.InvariantCulture);
        var batch = int.Parse(a.Get("batch", "8"), CultureInfo.InvariantCulture);
        var repeats = int.Parse(a.Get("repeats", "3"), CultureInfo.InvariantCulture);
        var dir = Path.Combine(a.Work, "tagger");
        Directory.CreateDirectory(dir);
        var spec = WriteModel(dir);
        using var tagger = OnnxTagger.Open(spec, new OnnxTaggerOptions(BatchSize: batch));
        var inputs = Enumerable.Range(0, images).Select(Image).ToList();
        var batches = Enumerable.Range(0, (images + batch - 1) / batch).Select(b => (Start: b * batch, Count: Math.Min(batch, images - (b * batch)))).ToList();
        var prepared = batches.Select(b => tagger.Prepare(inputs, b)).ToList();

        // Warm-up: first Run allocates and plans.
        tagger.Run(prepared[0], batches[0].Count);
        double bare = double.MaxValue, overlapped = double.MaxValue, serial = double.MaxValue, prepOnly = double.MaxValue;
        for (var r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            for (var b = 0; b < batches.Count; b++)
            {
                tagger.Run(prepared[b], batches[b].Count);
            }

            bare = Math.Min(bare, clock.Elapsed.TotalSeconds);

            clock.Restart();
            tagger.TagAsync(inputs, CancellationToken.None).GetAwaiter().GetResult();
            overlapped = Math.Min(overlapped, clock.Elapsed.TotalSeconds);

            clock.Restart();
            foreach (var b in batches)
            {
                tagger.Run(tagger.Prepare(inputs, b), b.Count);
            }

            serial = Math.Min(serial, clock.Elapsed.TotalSeconds);

            clock.Restart();
            foreach (var b in batches)
            {
                tagger.Prepare(inputs, b);
            }

            prepOnly = Math.Min(prepOnly, clock.Elapsed.TotalSeconds);
        }

        var lines = new[]
        {
            $"### Tagging throughput ({images} images of 512², batch {batch}, best of {repeats}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd})",
            "",
            "| path | seconds | images/s | vs bare Run |",
            "|---|---:|---:|---:|",
            Row("bare InferenceSession.Run on prepared batches", bare, images, bare),
            Row("OnnxTagger.TagAsync (preprocessing overlapped)", overlapped, images, bare),
            Row("preprocess then Run, one after the other", serial, images, bare),
            Row("preprocessing alone (pad, bicubic 512→448, BGR)", prepOnly, images, bare),
        };
        foreach (var l in lines)
        {
            Console.WriteLine(l);
        }

        File.AppendAllLines(Path.Combine(a.Work, "results.md"), lines.Append(""));
        return 0;
    }

    private static string Row(string name, double seconds, int images, double bare) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {seconds:F2} | {images / seconds:F1} | {bare / seconds:P0} |");

    private static RgbaImage Image(int seed)
    {
        var px = new byte[512 * 512 * 4];
        var rng = new Random(seed);
        rng.NextBytes(px);
        for (var i = 3; i < px.Length; i += 4)
        {
            px[i] = 255;
        }

        return new RgbaImage(512, 512, px);
    }

    private static TaggerSpec WriteModel(string dir)
    {
        var g = new GraphProto { Name = "tagger-sized" };
        g.Input.Add(OnnxGraph.Value("input", [-1, Size, Size, 3]));
        g.Output.Add(OnnxGraph.Value("output", [-1, Labels]));
        var rng = new Random(1);
        var x = "nchw";
        g.Node.Add(OnnxGraph.Node("Transpose", ["input"], x, ("perm", [0, 3, 1, 2])));
        // (in, out, stride): ≈8.4 GMAC per 448² image, the order of a ViT-B/16 tagger's ≈9 GMAC at 224² (WD v3 runs 448²).
        var layers = new (int In, int Out, int Stride)[] { (3, 64, 2), (64, 128, 2), (128, 256, 2), (256, 256, 1), (256, 256, 1), (256, 512, 2), (512, 512, 1) };
        for (var i = 0; i < layers.Length; i++)
        {
            var (cin, cout, stride) = layers[i];
            var w = $"conv{i}_w";
            g.Initializer.Add(Tensor(w, [cout, cin, 3, 3], rng, 0.05f));
            var y = $"conv{i}";
            g.Node.Add(OnnxGraph.Node("Conv", [x, w], y, ("kernel_shape", [3, 3]), ("strides", [stride, stride]), ("pads", [1, 1, 1, 1])));
            g.Node.Add(OnnxGraph.Node("Relu", [y], y + "_r"));
            x = y + "_r";
        }

        g.Node.Add(OnnxGraph.Node("GlobalAveragePool", [x], "gap"));
        g.Node.Add(OnnxGraph.Node("Flatten", ["gap"], "flat"));
        g.Initializer.Add(Tensor("head", [512, Labels], rng, 0.01f));
        g.Node.Add(OnnxGraph.Node("MatMul", ["flat", "head"], "logits"));
        g.Node.Add(OnnxGraph.Node("Sigmoid", ["logits"], "output"));
        var model = OnnxGraph.Model(g, "tagger-benchmark");
        var modelPath = Path.Combine(dir, "model.onnx");
        File.WriteAllBytes(modelPath, model.ToByteArray());
        var csv = new StringBuilder("tag_id,name,category,count\n");
        for (var i = 0; i < Labels; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i},tag_{i},0,{Labels - i}\n");
        }

        var labelPath = Path.Combine(dir, "selected_tags.csv");
        File.WriteAllText(labelPath, csv.ToString());
        return TaggerSpec.Wd(modelPath, labelPath);
    }

    private static TensorProto Tensor(string name, long[] dims, Random rng, float scale)
    {
        var n = dims.Aggregate(1L, (p, d) => p * d);
        return OnnxGraph.Floats(name, dims, Enumerable.Range(0, (int)n).Select(_ => ((float)rng.NextDouble() - 0.5f) * 2 * scale).ToArray());
    }
}
