using System.Text.Json.Nodes;
using Seamless.Architecture;
using Seamless.Errors;
using Seamless.Safetensors;

namespace Seamless.Cli.Commands;

/// <summary>The facts <see cref="InspectCommand"/> shows, computed once for both output forms.</summary>
internal sealed record CheckpointReport(
    string ArchitectureText,
    ModelArchitecture? Architecture,
    long Parameters,
    IReadOnlyDictionary<string, int> DTypes,
    IReadOnlyList<KeyValuePair<string, (int Tensors, long Parameters)>>? Blocks,
    SafetensorsFile File)
{
    public static CheckpointReport Create(SafetensorsFile file)
    {
        var parameters = file.Tensors.Sum(t => t.ElementCount);
        var dtypes = file.Tensors.GroupBy(t => t.DType.HeaderName()).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count());
        ModelArchitecture? architecture = null;
        string text;
        try
        {
            architecture = ArchitectureDetector.Detect(file);
            text = architecture.Value.ToString();
            if (file.TryGet("model.diffusion_model.input_blocks.0.0.weight", out var conv) && conv.Rank == 4 && conv.Shape[1] == 9)
            {
                text += " (inpainting UNet)";
            }
        }
        catch (CheckpointException e)
        {
            text = "none: " + e.Detail;
        }

        List<KeyValuePair<string, (int, long)>>? blocks = null;
        if (architecture is { } arch)
        {
            var map = new BlockMap(arch, BlockMapOptions.Default with { Vae = VaeRule.Own });
            var sums = map.Layout.Blocks.ToDictionary(b => b, _ => (Tensors: 0, Parameters: 0L));
            var other = (Tensors: 0, Parameters: 0L);
            foreach (var t in file.Tensors)
            {
                string? block;
                try
                {
                    block = map.Resolve(t.Name);
                }
                catch (KeyNotFoundException)
                {
                    block = null;
                }

                if (block is null)
                {
                    other = (other.Tensors + 1, other.Parameters + t.ElementCount);
                }
                else
                {
                    sums[block] = (sums[block].Tensors + 1, sums[block].Parameters + t.ElementCount);
                }
            }

            blocks = sums.Select(kv => KeyValuePair.Create(kv.Key, kv.Value)).ToList();
            blocks.Add(KeyValuePair.Create("(not merged)", other));
        }

        return new CheckpointReport(text, architecture, parameters, dtypes, blocks, file);
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["path"] = File.Path,
            ["bytes"] = File.FileLength,
            ["architecture"] = Architecture?.ToString(),
            ["architecture_text"] = ArchitectureText,
            ["tensors"] = File.Tensors.Count,
            ["parameters"] = Parameters,
            ["dtypes"] = new JsonObject(DTypes.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["metadata"] = new JsonObject(File.Metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        };
        if (Blocks is not null)
        {
            json["blocks"] = new JsonObject(Blocks.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)new JsonObject { ["tensors"] = kv.Value.Tensors, ["parameters"] = kv.Value.Parameters })));
        }

        return json;
    }
}
