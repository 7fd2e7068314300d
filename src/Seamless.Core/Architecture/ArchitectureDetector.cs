using Seamless.Errors;
using Seamless.Safetensors;

namespace Seamless.Architecture;

/// <summary>
/// Tells SD1.x, SD2.x and SDXL apart from the keys of an LDM/A1111-layout checkpoint, and names what a file is
/// when it is not one (a LoRA, a VAE alone, a diffusers-layout file…).
/// </summary>
public static class ArchitectureDetector
{
    private const string Unet = "model.diffusion_model.";

    public static ModelArchitecture Detect(SafetensorsFile file) => Detect(file.Header.ByName, file.Path);

    public static ModelArchitecture Detect(IReadOnlyDictionary<string, TensorInfo> tensors, string? path)
    {
        var keys = tensors.Keys;
        if (keys.Any(k => k.StartsWith(Unet, StringComparison.Ordinal)))
        {
            if (keys.Any(k => k.StartsWith("conditioner.embedders.", StringComparison.Ordinal) || k.StartsWith(Unet + "label_emb.", StringComparison.Ordinal)))
            {
                return ModelArchitecture.SDXL;
            }

            if (keys.Any(k => k.StartsWith(Unet + "input_blocks.11.", StringComparison.Ordinal)))
            {
                if (keys.Any(k => k.StartsWith("cond_stage_model.model.", StringComparison.Ordinal)))
                {
                    return ModelArchitecture.SD2;
                }

                if (keys.Any(k => k.StartsWith("cond_stage_model.transformer.", StringComparison.Ordinal)))
                {
                    return ModelArchitecture.SD1;
                }

                // A UNet alone: the cross-attention context width tells SD2 (OpenCLIP ViT-H, 1024) from SD1 (CLIP-L, 768).
                var toK = tensors.Values.FirstOrDefault(t => t.Name.EndsWith(".attn2.to_k.weight", StringComparison.Ordinal));
                return toK is { Rank: 2 } && toK.Shape[1] == 1024 ? ModelArchitecture.SD2 : ModelArchitecture.SD1;
            }

            throw new CheckpointException(path, CheckpointError.UnknownArchitecture,
                "has a UNet (model.diffusion_model.*) whose block layout is neither SD1.x/SD2.x (input_blocks.0-11) nor SDXL (conditioner.embedders.*, label_emb)");
        }

        throw new CheckpointException(path, CheckpointError.NotAFullCheckpoint, DescribeNonCheckpoint(keys));
    }

    private static string DescribeNonCheckpoint(IEnumerable<string> keys)
    {
        var list = keys.ToList();
        if (list.Count == 0)
        {
            return "holds no tensors";
        }

        bool Any(Func<string, bool> f) => list.Any(f);
        if (Any(k => k.Contains("lora_down", StringComparison.Ordinal) || k.Contains("lora_up", StringComparison.Ordinal) || k.Contains("lora_A", StringComparison.Ordinal) || k.StartsWith("lora_", StringComparison.Ordinal)))
        {
            return "is a LoRA, not a full checkpoint; merge it into a checkpoint first (Seamless merges full checkpoints)";
        }

        if (Any(k => k.StartsWith("decoder.", StringComparison.Ordinal) || k.StartsWith("encoder.", StringComparison.Ordinal)) && Any(k => k.Contains("quant_conv", StringComparison.Ordinal)))
        {
            return "is a VAE alone, not a full checkpoint";
        }

        if (Any(k => k.StartsWith("down_blocks.", StringComparison.Ordinal) || k.StartsWith("unet.", StringComparison.Ordinal) || k.StartsWith("mid_block.", StringComparison.Ordinal)))
        {
            return "is in the diffusers layout; Seamless reads single-file checkpoints in the LDM/A1111 layout (model.diffusion_model.*)";
        }

        if (Any(k => k.StartsWith("cond_stage_model.", StringComparison.Ordinal) || k.StartsWith("text_model.", StringComparison.Ordinal) || k.StartsWith("conditioner.", StringComparison.Ordinal)))
        {
            return "holds only a text encoder, not a full checkpoint";
        }

        return $"is not a Stable Diffusion checkpoint (no model.diffusion_model.* keys; first key '{list[0]}')";
    }
}
