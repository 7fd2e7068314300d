using Seamless.Evaluation.Images;

namespace Seamless.Evaluation.Tagging;

/// <summary>
/// Everything that differs between anime taggers, as data: where the model and labels are, the input layout,
/// colour order, size (null: read from the model), resize filter, value range (<see cref="Scale"/> multiplies
/// 0–255 values, then optional per-channel <see cref="Mean"/>/<see cref="Std"/>), whether outputs are logits, and
/// the default thresholds. Presets: <see cref="Wd"/> (SmilingWolf v2/v3) and <see cref="MlDanbooru"/>.
/// </summary>
public sealed record TaggerSpec
{
    public required string ModelPath { get; init; }

    public required string LabelsPath { get; init; }

    public string Family { get; init; } = "custom";

    public TensorLayout Layout { get; init; } = TensorLayout.Nhwc;

    public bool Bgr { get; init; }

    public int? Size { get; init; }

    public ResizeFilter Resize { get; init; } = ResizeFilter.Bicubic;

    /// <summary>Pad to a white square before resizing (WD); otherwise stretch.</summary>
    public bool PadToSquare { get; init; } = true;

    public float Scale { get; init; } = 1f;

    public IReadOnlyList<float>? Mean { get; init; }

    public IReadOnlyList<float>? Std { get; init; }

    public bool Logits { get; init; }

    public double GeneralThreshold { get; init; } = 0.35;

    public double CharacterThreshold { get; init; } = 0.85;

    public string? InputName { get; init; }

    public string? OutputName { get; init; }

    public static TaggerSpec Wd(string model, string labels) => new()
    {
        ModelPath = model,
        LabelsPath = labels,
        Family = "wd",
        Layout = TensorLayout.Nhwc,
        Bgr = true,
        Resize = ResizeFilter.Bicubic,
        PadToSquare = true,
        Scale = 1f,
        Logits = false,
        GeneralThreshold = 0.35,
        CharacterThreshold = 0.85,
    };

    public static TaggerSpec MlDanbooru(string model, string labels) => new()
    {
        ModelPath = model,
        LabelsPath = labels,
        Family = "ml-danbooru",
        Layout = TensorLayout.Nchw,
        Bgr = false,
        Size = 448,
        Resize = ResizeFilter.Bilinear,
        PadToSquare = false,
        Scale = 1f / 255f,
        Logits = true,
        GeneralThreshold = 0.7,
        CharacterThreshold = 0.7,
    };
}
