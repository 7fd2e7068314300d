using System.Text.Json;
using Seamless.Architecture;
using Seamless.Contact;
using Seamless.Fabrication;
using Seamless.Hashing;
using Seamless.Numerics;
using Seamless.Safetensors;
using Seamless.Tests.TestSupport;

namespace Seamless.Tests.Contact;

public sealed class ContactMergerTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static float[] Floats(SafetensorsFile f, string key)
    {
        var info = f[key];
        var values = new float[info.ElementCount];
        TensorConvert.ToSingle(f.ReadAll(info), info.DType, values);
        return values;
    }

    [Fact]
    public void Merge_SmallCheckpoints_LowRankDifferenceAndOneDimensionalFromB()
    {
        var a = CheckpointBuilder.Random(CheckpointBuilder.Sd1Keys, 1, DType.F32, 12, 10)
            .Add("model.diffusion_model.middle_block.0.in_layers.0.bias", DType.F32, [12], Enumerable.Range(0, 12).Select(i => i * 0.1f).ToArray())
            .Write(_temp.File("a.safetensors"));
        var b = CheckpointBuilder.Random(CheckpointBuilder.Sd1Keys, 2, DType.F32, 12, 10)
            .Add("model.diffusion_model.middle_block.0.in_layers.0.bias", DType.F32, [12], Enumerable.Range(0, 12).Select(i => -i * 0.1f).ToArray())
            .Write(_temp.File("b.safetensors"));
        var output = _temp.File("c.safetensors");
        new ContactMerger(new FileHasher(_temp.File("cache"))).Merge(new ContactRequest(a, b, new LowRankOptions(2), DType.F32), output);

        using var fa = SafetensorsFile.Open(a);
        using var fb = SafetensorsFile.Open(b);
        using var fc = SafetensorsFile.Open(output);
        var key = CheckpointBuilder.Sd1Keys[5];
        var delta = Floats(fc, key).Zip(Floats(fa, key), (c, x) => c - x).ToArray();
        var s = LowRank.SingularValues(delta, 12, 10);
        Assert.True(s[2] < 1e-4 * s[0], "the added difference has rank 2");
        var full = Floats(fb, key).Zip(Floats(fa, key), (y, x) => y - x).ToArray();
        Assert.InRange(Math.Sqrt(full.Zip(delta, (p, q) => (double)(p - q) * (p - q)).Sum()), LowRank.OptimalError(full, 12, 10, 2) * 0.999, LowRank.OptimalError(full, 12, 10, 2) * 1.01);
        Assert.Equal(Floats(fb, "model.diffusion_model.middle_block.0.in_layers.0.bias"), Floats(fc, "model.diffusion_model.middle_block.0.in_layers.0.bias"));
        using var meta = JsonDocument.Parse(fc.Metadata[ContactMerger.MetadataKey]);
        Assert.Equal(2, meta.RootElement.GetProperty("rank").GetInt32());
    }

    [Fact]
    public void Merge_FabricatedTinySd15Pair_RandomizedWithinOnePercentOfExact()
    {
        var a = _temp.File("a.safetensors");
        var b = _temp.File("b.safetensors");
        Fabricator.Fabricate(ArchitectureManifest.Sd15, FabricationScale.Tiny, 1, a, DType.F32);
        Fabricator.Fabricate(ArchitectureManifest.Sd15, FabricationScale.Tiny, 2, b, DType.F32);
        using var fa = SafetensorsFile.Open(a);
        using var fb = SafetensorsFile.Open(b);

        // Convolutions and linears of several shapes, reshaped as the merge does (out × in·kh·kw).
        var keys = new[]
        {
            "model.diffusion_model.input_blocks.4.0.in_layers.2.weight",
            "model.diffusion_model.middle_block.1.transformer_blocks.0.ff.net.0.proj.weight",
            "model.diffusion_model.output_blocks.8.0.skip_connection.weight",
            "first_stage_model.decoder.up.1.block.0.conv1.weight",
        };
        // The whole contact merge, randomised (the default) and exact, in fp32 so only the approximation differs.
        var merger = new ContactMerger(new FileHasher(_temp.File("cache")));
        merger.Merge(new ContactRequest(a, b, new LowRankOptions(4, Seed: 3), DType.F32), _temp.File("randomized.safetensors"));
        merger.Merge(new ContactRequest(a, b, new LowRankOptions(4, LowRankMethod.Exact), DType.F32), _temp.File("exact.safetensors"));
        using var randomized = SafetensorsFile.Open(_temp.File("randomized.safetensors"));
        using var exact = SafetensorsFile.Open(_temp.File("exact.safetensors"));
        foreach (var key in keys)
        {
            var info = fa[key];
            var rows = (int)info.Shape[0];
            var columns = (int)(info.ElementCount / rows);
            var d = Floats(fb, key).Zip(Floats(fa, key), (y, x) => y - x).ToArray();

            // ‖(C − A) − (B − A)‖: how far the added part is from the whole difference.
            double Error(SafetensorsFile c) => Math.Sqrt(Floats(c, key).Zip(Floats(fa, key), (y, x) => y - x).Zip(d, (p, q) => (double)(p - q) * (p - q)).Sum());
            var optimal = LowRank.OptimalError(d, rows, columns, 4);
            Assert.InRange(Error(exact), optimal * 0.999, optimal * 1.001);
            Assert.True(Error(randomized) <= Error(exact) * 1.01, $"{key} ({rows}×{columns}): randomized {Error(randomized)} vs exact {Error(exact)}");
            Assert.True(Error(randomized) < 0.999 * Math.Sqrt(d.Sum(v => (double)v * v)), $"{key}: the randomized merge added nothing");
        }
    }
}
