using Seamless.Numerics;
using Seamless.Safetensors;

namespace Seamless.Tests.TestSupport;

/// <summary>Small checkpoints built in code: a few real keys per block, chosen values, any dtype.</summary>
public sealed class CheckpointBuilder
{
    private readonly List<(TensorSpec Spec, float[]? Values, byte[]? Raw)> _tensors = [];
    private readonly Dictionary<string, string> _metadata = [];

    /// <summary>Keys of a minimal SD1.x checkpoint: one tensor in every block and the parts outside them.</summary>
    public static readonly string[] Sd1Keys =
    [
        "model.diffusion_model.time_embed.0.weight",
        .. Enumerable.Range(0, 12).Select(i => $"model.diffusion_model.input_blocks.{i}.0.weight"),
        "model.diffusion_model.input_blocks.11.0.in_layers.0.bias",
        "model.diffusion_model.middle_block.0.in_layers.0.weight",
        .. Enumerable.Range(0, 12).Select(i => $"model.diffusion_model.output_blocks.{i}.0.weight"),
        "model.diffusion_model.out.2.weight",
        "cond_stage_model.transformer.text_model.final_layer_norm.weight",
        "first_stage_model.decoder.conv_out.weight",
    ];

    public static readonly string[] SdxlKeys =
    [
        "model.diffusion_model.time_embed.0.weight",
        "model.diffusion_model.label_emb.0.0.weight",
        .. Enumerable.Range(0, 9).Select(i => $"model.diffusion_model.input_blocks.{i}.0.weight"),
        "model.diffusion_model.middle_block.0.in_layers.0.weight",
        .. Enumerable.Range(0, 9).Select(i => $"model.diffusion_model.output_blocks.{i}.0.weight"),
        "model.diffusion_model.out.2.weight",
        "conditioner.embedders.0.transformer.text_model.final_layer_norm.weight",
        "conditioner.embedders.1.model.ln_final.weight",
        "first_stage_model.decoder.conv_out.weight",
    ];

    public CheckpointBuilder Add(string name, DType dtype, long[] shape, float[] values)
    {
        _tensors.Add((new TensorSpec(name, dtype, shape), values, null));
        return this;
    }

    public CheckpointBuilder AddRaw(string name, DType dtype, long[] shape, byte[] raw)
    {
        _tensors.Add((new TensorSpec(name, dtype, shape), null, raw));
        return this;
    }

    public CheckpointBuilder Meta(string key, string value)
    {
        _metadata[key] = value;
        return this;
    }

    /// <summary>Every key of <paramref name="keys"/> as a [rows, cols] tensor of seeded values.</summary>
    public static CheckpointBuilder Random(IEnumerable<string> keys, int seed, DType dtype = DType.F16, int rows = 4, int cols = 3)
    {
        var rng = new Random(seed);
        var builder = new CheckpointBuilder();
        foreach (var key in keys)
        {
            var values = Enumerable.Range(0, rows * cols).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
            builder.Add(key, dtype, [rows, cols], values);
        }

        return builder;
    }

    public string Write(string path)
    {
        var tensors = _tensors.Select(t =>
        {
            if (t.Raw is not null)
            {
                return (t.Spec, t.Raw);
            }

            var bytes = new byte[t.Spec.ByteLength];
            TensorConvert.FromSingle(t.Values!, t.Spec.DType, bytes);
            return (t.Spec, bytes);
        }).ToList();
        SafetensorsWriter.WriteAll(path, tensors, _metadata);
        return path;
    }
}
