using System.Text.Json;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Images;

namespace Seamless.Evaluation.Diversity;

/// <summary>
/// Finds an image encoder from a path: an <c>.onnx</c> file, or a folder with <c>model.onnx</c>,
/// <c>onnx/vision_model.onnx</c> (the Transformers.js layout) or one <c>.onnx</c>. Preprocessing comes from a
/// <c>preprocessor_config.json</c> beside the model or in the folder (both the old integer and the newer
/// <c>{"shortest_edge": n}</c> / <c>{"height", "width"}</c> forms); without one, CLIP ViT-B/32's is assumed.
/// </summary>
public static class EncoderSpecLoader
{
    public const string PreprocessorFileName = "preprocessor_config.json";

    public static EncoderSpec Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string model;
        string folder;
        if (File.Exists(path))
        {
            model = path;
            folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        }
        else if (Directory.Exists(path))
        {
            folder = path;
            var candidates = new[] { Path.Combine(path, "model.onnx"), Path.Combine(path, "onnx", "vision_model.onnx") };
            var onnx = Directory.GetFiles(path, "*.onnx");
            model = candidates.FirstOrDefault(File.Exists) ?? (onnx.Length == 1 ? onnx[0]
                : throw new EvaluationException(path, EvaluationError.EncoderInvalid, onnx.Length == 0
                    ? "no .onnx image encoder in the folder; fetch one with 'seamless encoder fetch'"
                    : $"{onnx.Length} .onnx files and none is model.onnx; give the model file itself"));
        }
        else
        {
            throw new EvaluationException(path, EvaluationError.EncoderInvalid, "no such image encoder file or folder");
        }

        var config = new[] { Path.Combine(Path.GetDirectoryName(Path.GetFullPath(model))!, PreprocessorFileName), Path.Combine(folder, PreprocessorFileName) }.FirstOrDefault(File.Exists);
        return config is null ? EncoderSpec.Clip(model) : Read(model, config);
    }

    /// <summary>Reads a Hugging Face preprocessor_config.json for <paramref name="model"/>.</summary>
    public static EncoderSpec Read(string model, string configPath)
    {
        ArgumentNullException.ThrowIfNull(configPath);
        var clip = EncoderSpec.Clip(model);
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(configPath));
            root = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new EvaluationException(configPath, EvaluationError.EncoderInvalid, $"not valid JSON: {ex.Message}", ex);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new EvaluationException(configPath, EvaluationError.EncoderInvalid, "expected a JSON object");
        }

        foreach (var flag in new[] { "do_resize", "do_center_crop", "do_normalize", "do_rescale" })
        {
            if (root.TryGetProperty(flag, out var f) && f.ValueKind == JsonValueKind.False)
            {
                throw new EvaluationException(configPath, EvaluationError.EncoderInvalid, $"{flag} is false; only CLIP-style preprocessing (resize, centre crop, rescale, normalise) is supported");
            }
        }

        var edge = root.TryGetProperty("size", out var size) ? Side(configPath, "size", size, "shortest_edge") : clip.ShortestEdge;
        var crop = root.TryGetProperty("crop_size", out var cropSize) ? Side(configPath, "crop_size", cropSize, null) : edge;
        if (crop > edge)
        {
            throw new EvaluationException(configPath, EvaluationError.EncoderInvalid, $"crop_size {crop} is larger than the resized short side {edge}");
        }

        var mean = root.TryGetProperty("image_mean", out var m) ? Triple(configPath, "image_mean", m) : clip.Mean;
        var std = root.TryGetProperty("image_std", out var s) ? Triple(configPath, "image_std", s) : clip.Std;
        if (std.Any(v => !(v > 0)))
        {
            throw new EvaluationException(configPath, EvaluationError.EncoderInvalid, "image_std must be positive");
        }

        var filter = ResizeFilter.Bicubic;
        if (root.TryGetProperty("resample", out var r))
        {
            // PIL's resample codes: 2 bilinear, 3 bicubic.
            filter = r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out var code) && code is 2 or 3
                ? (code == 2 ? ResizeFilter.Bilinear : ResizeFilter.Bicubic)
                : throw new EvaluationException(configPath, EvaluationError.EncoderInvalid, $"resample {r.GetRawText()} is not supported (2 bilinear or 3 bicubic)");
        }

        return new EncoderSpec(model, edge, crop, mean, std, filter);
    }

    private static int Side(string path, string name, JsonElement e, string? key)
    {
        int? value = e.ValueKind switch
        {
            JsonValueKind.Number when e.TryGetInt32(out var n) => n,
            JsonValueKind.Object when key is not null && e.TryGetProperty(key, out var k) && k.TryGetInt32(out var n) => n,
            JsonValueKind.Object when e.TryGetProperty("height", out var h) && e.TryGetProperty("width", out var w) && h.TryGetInt32(out var hn) && w.TryGetInt32(out var wn) =>
                hn == wn ? hn : throw new EvaluationException(path, EvaluationError.EncoderInvalid, $"{name} is {hn}×{wn}; only square crops are supported"),
            _ => null,
        };
        return value is > 0 and <= 4096 ? value.Value
            : throw new EvaluationException(path, EvaluationError.EncoderInvalid, $"{name} {e.GetRawText()} is not a side in pixels{(key is null ? "" : $" or {{\"{key}\": n}}")}");
    }

    private static float[] Triple(string path, string name, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 3 || e.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
        {
            throw new EvaluationException(path, EvaluationError.EncoderInvalid, $"{name} must be 3 numbers (R, G, B), got {e.GetRawText()}");
        }

        return [.. e.EnumerateArray().Select(v => (float)v.GetDouble())];
    }
}
