using Seamless.Architecture;
using Seamless.Evaluation.Fabrication;
using Seamless.Tagging.Onnx.Fabrication;

namespace Seamless.Tests.TestSupport;

/// <summary>A tiny WD-style tagger of an SD1 tiny world, with the world saved beside it (what <c>--backend toy</c> reads).</summary>
internal static class TinyTaggers
{
    public static string Write(string folder, ulong seed)
    {
        var world = new TinyWorld(seed, BlockMap.LayoutOf(ModelArchitecture.SD1).StandardBlocks.Count);
        TinyTaggerBuilder.Write(world, folder);
        world.Save(folder);
        return folder;
    }
}
