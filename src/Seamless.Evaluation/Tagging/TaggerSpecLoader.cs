using System.Text.Json;
using System.Text.Json.Serialization;
using Seamless.Evaluation.Errors;
using Seamless.Evaluation.Images;

namespace Seamless.Evaluation.Tagging;

/// <summary>
/// Finds a tagger from a path: a <c>tagger.json</c> spec file (or a folder holding one), a folder with
/// <c>model.onnx</c> + <c>selected_tags.csv</c> (WD preset), or a folder with one <c>.onnx</c> + <c>classes.json</c>
/// (ML-Danbooru preset). Paths inside a spec are relative to the spec's folder.
/// </summary>
public static class TaggerSpecLoader
{
    public const string SpecFileName = "tagger.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static TaggerSpec Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            return FromSpecFile(path);
        }

        if (!Directory.Exists(path))
        {
            throw new EvaluationException(path, EvaluationError.TaggerInvalid, "no such tagger folder or spec file");
        }

        var spec = Path.Combine(path, SpecFileName);
        if (File.Exists(spec))
        {
            return FromSpecFile(spec);
        }

        var csv = Path.Combine(path, "selected_tags.csv");
        var classes = Path.Combine(path, "classes.json");
        var models = Directory.GetFiles(path, "*.onnx").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        var model = File.Exists(Path.Combine(path, "model.onnx")) ? Path.Combine(path, "model.onnx") : models.Length == 1 ? models[0] : null;
        if (model is null)
        {
            throw new EvaluationException(path, EvaluationError.TaggerInvalid,
                models.Length == 0 ? "no .onnx model in the tagger folder" : $"{models.Length} .onnx files and none is model.onnx; write a {SpecFileName} naming the model");
        }

        if (File.Exists(csv))
        {
            return TaggerSpec.Wd(model, csv);
        }

        if (File.Exists(classes))
        {
            return TaggerSpec.MlDanbooru(model, classes);
        }

        throw new EvaluationException(path, EvaluationError.TaggerInvalid, $"no label file: expected selected_tags.csv (WD) or classes.json (ML-Danbooru), or a {SpecFileName}");
    }

    private static TaggerSpec FromSpecFile(string specPath)
    {
        SpecFile? file;
        try
        {
            file = JsonSerializer.Deserialize<SpecFile>(File.ReadAllText(specPath), Json);
        }
        catch (JsonException ex)
        {
            throw new EvaluationException(specPath, EvaluationError.TaggerInvalid, $"not a valid tagger spec: {ex.Message}", ex);
        }

        if (file is null || string.IsNullOrWhiteSpace(file.Model) || string.IsNullOrWhiteSpace(file.Labels))
        {
            throw new EvaluationException(specPath, EvaluationError.TaggerInvalid, "a tagger spec needs at least \"model\" and \"labels\"");
        }

        var dir = Path.GetDirectoryName(Path.GetFullPath(specPath))!;
        var model = Path.GetFullPath(Path.Combine(dir, file.Model));
        var labels = Path.GetFullPath(Path.Combine(dir, file.Labels));
        var problems = new List<string>();
        if (!File.Exists(model))
        {
            problems.Add($"model '{file.Model}' not found");
        }

        if (!File.Exists(labels))
        {
            problems.Add($"labels '{file.Labels}' not found");
        }

        var basis = file.Preset?.ToLowerInvariant() switch
        {
            null or "custom" => new TaggerSpec { ModelPath = model, LabelsPath = labels },
            "wd" => TaggerSpec.Wd(model, labels),
            "ml-danbooru" => TaggerSpec.MlDanbooru(model, labels),
            var other => null,
        };
        if (basis is null)
        {
            problems.Add($"unknown preset '{file.Preset}' (wd, ml-danbooru, custom)");
            basis = new TaggerSpec { ModelPath = model, LabelsPath = labels };
        }

        if (file.Mean is { Length: not 3 } || file.Std is { Length: not 3 })
        {
            problems.Add("mean and std need three values (one per channel)");
        }

        if (file.Std?.Any(s => s <= 0) == true)
        {
            problems.Add("std values must be positive");
        }

        if (problems.Count > 0)
        {
            throw new EvaluationException(specPath, EvaluationError.TaggerInvalid, string.Join("; ", problems));
        }

        return basis with
        {
            Layout = file.Layout ?? basis.Layout,
            Bgr = file.ColorOrder is null ? basis.Bgr : file.ColorOrder.Equals("bgr", StringComparison.OrdinalIgnoreCase),
            Size = file.Size ?? basis.Size,
            Resize = file.Resize ?? basis.Resize,
            PadToSquare = file.PadToSquare ?? basis.PadToSquare,
            Scale = file.Scale ?? basis.Scale,
            Mean = file.Mean ?? basis.Mean,
            Std = file.Std ?? basis.Std,
            Logits = file.Output is null ? basis.Logits : file.Output.Equals("logits", StringComparison.OrdinalIgnoreCase),
            GeneralThreshold = file.GeneralThreshold ?? basis.GeneralThreshold,
            CharacterThreshold = file.CharacterThreshold ?? basis.CharacterThreshold,
            InputName = file.InputName ?? basis.InputName,
            OutputName = file.OutputName ?? basis.OutputName,
            Family = file.Preset ?? basis.Family,
        };
    }

    private sealed record SpecFile(
        string? Model,
        string? Labels,
        string? Preset,
        TensorLayout? Layout,
        string? ColorOrder,
        int? Size,
        ResizeFilter? Resize,
        bool? PadToSquare,
        float? Scale,
        float[]? Mean,
        float[]? Std,
        string? Output,
        double? GeneralThreshold,
        double? CharacterThreshold,
        string? InputName,
        string? OutputName);
}
