namespace Seamless.Evaluation.Images;

/// <summary>Resampling kernels, as PIL names them (the taggers were trained on PIL-resized images).</summary>
public enum ResizeFilter
{
    Bilinear,
    Bicubic,
}
