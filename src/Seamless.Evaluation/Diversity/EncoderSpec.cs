using Seamless.Evaluation.Images;

namespace Seamless.Evaluation.Diversity;

/// <summary>
/// An ONNX image encoder and the preprocessing it was trained with, as Hugging Face's <c>CLIPImageProcessor</c>
/// applies it: the short side resized to <see cref="ShortestEdge"/> (the long side <c>int(edge · long / short)</c>),
/// a centre crop of <see cref="CropSize"/>², /255, then (x − mean) / std per channel, RGB, NCHW.
/// </summary>
public sealed record EncoderSpec(string ModelPath, int ShortestEdge, int CropSize, float[] Mean, float[] Std, ResizeFilter Resize = ResizeFilter.Bicubic)
{
    /// <summary>
    /// openai/clip-vit-base-patch32's preprocessor_config.json: shortest edge 224, crop 224, bicubic (resample 3) and
    /// the CLIP mean and std. The benchmark's diversity uses exactly this processor (common.py, 图像相似度).
    /// </summary>
    public static EncoderSpec Clip(string modelPath) => new(
        modelPath, 224, 224, [0.48145466f, 0.4578275f, 0.40821073f], [0.26862954f, 0.26130258f, 0.27577711f]);
}
