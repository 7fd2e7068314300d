using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Onnx;
using Seamless.Evaluation.Fabrication;
using Seamless.Evaluation.Tagging;

namespace Seamless.Tagging.Onnx.Fabrication;

/// <summary>
/// Writes a tiny, real ONNX tagger for a <see cref="TinyWorld"/>: average-pool the image to the world's grid,
/// centre on 128, one linear layer whose column for each tag is its pattern, then a sigmoid (or raw logits). It
/// reads images exactly as the preset it imitates would feed them: WD (NHWC, BGR, 0–255, probabilities,
/// <c>selected_tags.csv</c>) or ML-Danbooru (NCHW, RGB, 0–1, logits, <c>classes.json</c>).
/// </summary>
public static class TinyTaggerBuilder
{
    public static TaggerSpec Write(TinyWorld world, string folder, string family = "wd")
    {
        ArgumentNullException.ThrowIfNull(world);
        Directory.CreateDirectory(folder);
        var wd = family == "wd";
        var labels = Labels(world);
        var model = Build(world, labels.Count, wd);
        var modelPath = Path.Combine(folder, "model.onnx");
        Seamless.IO.AtomicFile.WriteAllBytes(modelPath, model.ToByteArray());
        string labelPath;
        if (wd)
        {
            labelPath = Path.Combine(folder, "selected_tags.csv");
            var csv = new StringBuilder("tag_id,name,category,count\n");
            foreach (var (name, category, count, i) in labels.Select((l, i) => (l.Name, l.Category, l.Count, i)))
            {
                csv.Append(CultureInfo.InvariantCulture, $"{100000 + i},{name.Replace(' ', '_')},{category},{count}\n");
            }

            Seamless.IO.AtomicFile.WriteAllBytes(labelPath, Encoding.UTF8.GetBytes(csv.ToString()));
            return TaggerSpec.Wd(modelPath, labelPath);
        }

        labelPath = Path.Combine(folder, "classes.json");
        Seamless.IO.AtomicFile.WriteAllBytes(labelPath, JsonSerializer.SerializeToUtf8Bytes(labels.Select(l => l.Name.Replace(' ', '_')).ToArray()));
        return TaggerSpec.MlDanbooru(modelPath, labelPath) with { Size = TinyWorld.ImageSize };
    }

    /// <summary>Labels in WD order: four ratings, the world's general tags (counts descending), one character.</summary>
    private static List<(string Name, int Category, long Count)> Labels(TinyWorld world)
    {
        var labels = new List<(string, int, long)>
        {
            ("general", 9, 900000), ("sensitive", 9, 800000), ("questionable", 9, 700000), ("explicit", 9, 600000),
        };
        for (var t = 0; t < world.Tags.Count; t++)
        {
            labels.Add((world.Tags[t], 0, 500000 - (t * 1000)));
        }

        labels.Add(("tiny chan (seamless)", 4, 1000));
        return labels;
    }

    private static ModelProto Build(TinyWorld world, int labelCount, bool wd)
    {
        const int s = TinyWorld.ImageSize;
        var g = new GraphProto { Name = "seamless-tiny-tagger" };
        g.Input.Add(OnnxGraph.Value("input", wd ? [-1, s, s, 3] : [-1, 3, s, s]));
        g.Output.Add(OnnxGraph.Value("output", [-1, labelCount]));

        // Weights W[f, label] in the model's channel order; pooled features are NCHW-flattened (channel, cell).
        var general0 = 4;
        var w = new float[TinyWorld.Features * labelCount];
        var alpha = TinyWorld.Gain / (TinyWorld.Features * TinyWorld.Amplitude);
        var bias = new float[labelCount];
        for (var l = 0; l < labelCount; l++)
        {
            var t = l - general0;
            bias[l] = t >= 0 && t < world.Tags.Count ? (float)(-TinyWorld.Gain / 2) : -20f;
            if (t < 0 || t >= world.Tags.Count)
            {
                continue;
            }

            var pattern = world.Pattern(t);
            for (var modelChannel = 0; modelChannel < 3; modelChannel++)
            {
                var rgb = wd ? 2 - modelChannel : modelChannel;
                for (var cell = 0; cell < TinyWorld.Grid * TinyWorld.Grid; cell++)
                {
                    var f = (modelChannel * TinyWorld.Grid * TinyWorld.Grid) + cell;
                    w[(f * labelCount) + l] = (float)(alpha * pattern[(rgb * TinyWorld.Grid * TinyWorld.Grid) + cell]);
                }
            }
        }

        // ML-Danbooru-style inputs are 0–1; scale the centre and the weights so both presets see the same logits.
        var unit = wd ? 1f : 1f / 255f;
        g.Initializer.Add(OnnxGraph.Floats("centre", [], [128f * unit]));
        g.Initializer.Add(OnnxGraph.Floats("W", [TinyWorld.Features, labelCount], w.Select(v => v / unit)));
        g.Initializer.Add(OnnxGraph.Floats("B", [labelCount], bias));
        g.Initializer.Add(OnnxGraph.Longs("flat_shape", [2], [-1, TinyWorld.Features]));

        var x = "input";
        if (wd)
        {
            g.Node.Add(OnnxGraph.Node("Transpose", [x], "nchw", ("perm", new long[] { 0, 3, 1, 2 })));
            x = "nchw";
        }

        g.Node.Add(OnnxGraph.Node("Sub", [x, "centre"], "centred"));
        g.Node.Add(OnnxGraph.Node("AveragePool", ["centred"], "pooled",
            ("kernel_shape", new long[] { TinyWorld.CellSize, TinyWorld.CellSize }), ("strides", new long[] { TinyWorld.CellSize, TinyWorld.CellSize })));
        g.Node.Add(OnnxGraph.Node("Reshape", ["pooled", "flat_shape"], "features"));
        g.Node.Add(OnnxGraph.Node("MatMul", ["features", "W"], "projected"));
        g.Node.Add(OnnxGraph.Node("Add", ["projected", "B"], wd ? "logits" : "output"));
        if (wd)
        {
            g.Node.Add(OnnxGraph.Node("Sigmoid", ["logits"], "output"));
        }

        return OnnxGraph.Model(g, "tiny-tagger-1");
    }
}
