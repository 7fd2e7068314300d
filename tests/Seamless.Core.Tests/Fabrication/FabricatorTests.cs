using System.Security.Cryptography;
using Seamless.Architecture;
using Seamless.Fabrication;
using Seamless.Safetensors;
using Seamless.Tests.TestSupport;

namespace Seamless.Tests.Fabrication;

public sealed class FabricatorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("sd15", ModelArchitecture.SD1)]
    [InlineData("sdxl", ModelArchitecture.SDXL)]
    public void Fabricate_Tiny_SameKeysAsManifestAndDetected(string arch, ModelArchitecture expected)
    {
        var manifest = ArchitectureManifest.Load(arch);
        var path = _temp.File(arch + ".safetensors");
        Fabricator.Fabricate(manifest, FabricationScale.Tiny, 1, path);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(manifest.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal), file.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Equal(expected, ArchitectureDetector.Detect(file));
        Assert.True(file.FileLength < 100_000_000, $"tiny file is {file.FileLength} bytes");
    }

    [Fact]
    public void Fabricate_SameSeed_IdenticalBytes_OtherSeed_Different()
    {
        string Hash(ulong seed, string name)
        {
            var path = _temp.File(name);
            Fabricator.Fabricate(ArchitectureManifest.Sd15, FabricationScale.Tiny, seed, path);
            return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        }

        Assert.Equal(Hash(7, "a.safetensors"), Hash(7, "b.safetensors"));
        Assert.NotEqual(Hash(7, "a.safetensors"), Hash(8, "c.safetensors"));
    }

    [Fact]
    public void Shrink_KeepsCrossAttentionConsistentWithTextWidth()
    {
        var toK = TinyShapes.Shrink("model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight", [320, 768]);
        var text = TinyShapes.Shrink("cond_stage_model.transformer.text_model.final_layer_norm.weight", [768]);
        Assert.Equal([32L, 48L], toK);
        Assert.Equal(text[0], toK[1]);
        Assert.Equal([128L, 176L], TinyShapes.Shrink("model.diffusion_model.label_emb.0.0.weight", [1280, 2816]));
        Assert.Equal([49408L, 48L], TinyShapes.Shrink("cond_stage_model.transformer.text_model.embeddings.token_embedding.weight", [49408, 768]));
    }

    [Fact]
    public void Fabricate_Sd15_HasRealScheduleAndPositionIds()
    {
        var path = _temp.File("a.safetensors");
        Fabricator.Fabricate(ArchitectureManifest.Sd15, FabricationScale.Tiny, 1, path, DType.F32);
        using var file = SafetensorsFile.Open(path);
        var ac = new float[1000];
        Seamless.Numerics.TensorConvert.ToSingle(file.ReadAll(file["alphas_cumprod"]), DType.F32, ac);
        Assert.Equal(0.99915, ac[0], 5);
        Assert.Equal(0.0047, ac[999], 4);
        var ids = file.ReadAll(file["cond_stage_model.transformer.text_model.embeddings.position_ids"]);
        Assert.Equal(76, BitConverter.ToInt64(ids, 76 * 8));
    }
}
