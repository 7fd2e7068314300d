using Seamless.Architecture;
using Seamless.Evaluation.Fabrication;
using Seamless.Evaluation.Images;
using Seamless.Fabrication;

namespace Seamless.Tests.TestSupport;

/// <summary>Tiny fabricated SD1 checkpoints and a tiny world shared by the evaluation tests.</summary>
internal static class TinyModels
{
    public static TinyWorld World() => new(seed: 11, blocks: BlockMap.LayoutOf(ModelArchitecture.SD1).StandardBlocks.Count);

    public static string[] Fabricate(TempFolder dir, int count)
    {
        var paths = new string[count];
        for (var i = 0; i < count; i++)
        {
            paths[i] = dir.File($"model-{i}.safetensors");
            Fabricator.Fabricate(ArchitectureManifest.Sd15, FabricationScale.Tiny, (ulong)(100 + i), paths[i]);
        }

        return paths;
    }

    /// <summary>An image carrying the given tags' patterns at full strength, on the world's grey.</summary>
    public static RgbaImage Painted(TinyWorld world, params int[] tags)
    {
        const int s = TinyWorld.ImageSize;
        var px = new byte[s * s * 4];
        for (var y = 0; y < s; y++)
        {
            for (var x = 0; x < s; x++)
            {
                var cell = ((y / TinyWorld.CellSize) * TinyWorld.Grid) + (x / TinyWorld.CellSize);
                for (var c = 0; c < 3; c++)
                {
                    var v = 128.0;
                    foreach (var t in tags)
                    {
                        v += TinyWorld.Amplitude * world.Pattern(t)[(c * TinyWorld.Grid * TinyWorld.Grid) + cell];
                    }

                    px[(((y * s) + x) * 4) + c] = (byte)Math.Clamp(v, 0, 255);
                }

                px[(((y * s) + x) * 4) + 3] = 255;
            }
        }

        return new RgbaImage(s, s, px);
    }
}
