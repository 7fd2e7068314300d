using System.Text;
using CsCheck;
using Seamless.Errors;
using Seamless.Safetensors;
using Seamless.Tests.TestSupport;

namespace Seamless.Tests.Safetensors;

public sealed class SafetensorsFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string WriteBytes(byte[] bytes, string name = "x.safetensors")
    {
        var path = _temp.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private SafetensorsError OpenError(byte[] bytes)
    {
        var path = WriteBytes(bytes);
        var e = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        return e.Reason;
    }

    [Fact]
    public void Open_ValidFile_ReadsHeaderMetadataAndBytes()
    {
        var data = new byte[] { 1, 2, 3, 4, 5, 6 };
        var json = """{"__metadata__":{"k":"v"},"b":{"dtype":"U8","shape":[2],"data_offsets":[4,6]},"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}""";
        using var file = SafetensorsFile.Open(WriteBytes(RawSafetensors.Build(json, data)));
        Assert.Equal(["a", "b"], file.Tensors.Select(t => t.Name));
        Assert.Equal("v", file.Metadata["k"]);
        using var view = file.OpenTensor(file["b"]);
        Assert.Equal(new byte[] { 5, 6 }, view.Bytes.ToArray());
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, file.ReadAll(file["a"]));
    }

    [Fact]
    public void OpenTensor_KeptMapped_SameBytesAndViewsOutliveTheirDisposal()
    {
        var data = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
        var json = """{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[6],"data_offsets":[4,10]},"e":{"dtype":"U8","shape":[0],"data_offsets":[10,10]}}""";
        using var file = SafetensorsFile.Open(WriteBytes(RawSafetensors.Build(json, data, padding: 3)));
        file.KeepMapped();
        file.KeepMapped();
        for (var round = 0; round < 2; round++)
        {
            using var a = file.OpenTensor(file["a"]);
            using var b = file.OpenTensor(file["b"]);
            using var e = file.OpenTensor(file["e"]);
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, a.Bytes.ToArray());
            Assert.Equal(new byte[] { 5, 6, 7, 8, 9, 10 }, b.Bytes.ToArray());
            Assert.True(e.Bytes.IsEmpty);
        }
    }

    [Fact]
    public void Open_HeaderPaddedWithSpaces_IsValid()
    {
        var json = """{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}""";
        using var file = SafetensorsFile.Open(WriteBytes(RawSafetensors.Build(json, [7], padding: 5)));
        Assert.Equal(7, file.ReadAll(file["a"])[0]);
    }

    [Fact]
    public void Open_ZeroSizedAndScalarTensors_AreValid()
    {
        var json = """{"e":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}""";
        using var file = SafetensorsFile.Open(WriteBytes(RawSafetensors.Build(json, new byte[4])));
        Assert.Equal(0, file["e"].ByteLength);
        Assert.Equal(1, file["s"].ElementCount);
        using var empty = file.OpenTensor(file["e"]);
        Assert.True(empty.Bytes.IsEmpty);
    }

    [Fact]
    public void Open_EmptyFile_FileTooSmall() => Assert.Equal(SafetensorsError.FileTooSmall, OpenError([]));

    [Fact]
    public void Open_HugeHeaderLength_HeaderTooLargeWithoutAllocating() =>
        Assert.Equal(SafetensorsError.HeaderTooLarge, OpenError(RawSafetensors.WithLengthPrefix(ulong.MaxValue, new byte[16])));

    [Fact]
    public void Open_HeaderLongerThanFile_HeaderOutOfBounds() =>
        Assert.Equal(SafetensorsError.HeaderOutOfBounds, OpenError(RawSafetensors.WithLengthPrefix(1000, Encoding.UTF8.GetBytes("{}"))));

    [Theory]
    [InlineData("[1,2]", SafetensorsError.InvalidHeaderStart)]
    [InlineData(" {}", SafetensorsError.InvalidHeaderStart)]
    [InlineData("{\"a\":", SafetensorsError.InvalidHeaderJson)]
    [InlineData("{\"__metadata__\":{\"k\":1}}", SafetensorsError.InvalidMetadata)]
    [InlineData("{\"__metadata__\":[]}", SafetensorsError.InvalidMetadata)]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]},\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}}", SafetensorsError.DuplicateTensorName)]
    [InlineData("{\"a\":{\"shape\":[0],\"data_offsets\":[0,0]}}", SafetensorsError.MissingField)]
    [InlineData("{\"a\":{\"dtype\":\"F17\",\"shape\":[0],\"data_offsets\":[0,0]}}", SafetensorsError.InvalidDType)]
    [InlineData("{\"a\":{\"dtype\":\"f16\",\"shape\":[0],\"data_offsets\":[0,0]}}", SafetensorsError.InvalidDType)]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,0]}}", SafetensorsError.InvalidShape)]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[1.5],\"data_offsets\":[0,0]}}", SafetensorsError.InvalidShape)]
    [InlineData("{\"a\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}", SafetensorsError.ShapeOverflow)]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[4,0]}}", SafetensorsError.InvalidOffset)]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[9],\"data_offsets\":[0,9]}}", SafetensorsError.InvalidOffset)]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[-4,0]}}", SafetensorsError.InvalidOffset)]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", SafetensorsError.TensorSizeMismatch)]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[2,6]}}", SafetensorsError.OverlappingTensors)]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", SafetensorsError.DataNotCovered)]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[4,8]}}", SafetensorsError.DataNotCovered)]
    public void Open_HostileHeader_NamedReason(string json, SafetensorsError expected)
    {
        Assert.Equal(expected, OpenError(RawSafetensors.Build(json, new byte[8])));
    }

    [Fact]
    public void Open_InvalidUtf8_InvalidHeaderUtf8()
    {
        var header = new byte[] { (byte)'{', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}' };
        Assert.Equal(SafetensorsError.InvalidHeaderUtf8, OpenError(RawSafetensors.WithLengthPrefix((ulong)header.Length, header)));
    }

    [Fact]
    public void Open_ZipPickle_RefusedWithConversionHint()
    {
        var path = WriteBytes([.. "PK\u0003\u0004"u8, .. new byte[100]], "model.ckpt");
        var e = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Open(path));
        Assert.Equal(SafetensorsError.PickleCheckpoint, e.Reason);
        Assert.Contains("convert", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_LegacyPickle_Refused() =>
        Assert.Equal(SafetensorsError.PickleCheckpoint, OpenError([0x80, 0x02, 0x8a, 0x0a, .. new byte[20]]));

    [Fact]
    public void Open_Directory_NotAFile()
    {
        Directory.CreateDirectory(_temp.File("diffusers"));
        File.WriteAllText(_temp.File("diffusers/model_index.json"), "{}");
        var e = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Open(_temp.File("diffusers")));
        Assert.Equal(SafetensorsError.NotAFile, e.Reason);
        Assert.Contains("diffusers", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MissingFile_NotFound()
    {
        var e = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Open(_temp.File("nope.safetensors")));
        Assert.Equal(SafetensorsError.NotFound, e.Reason);
    }

    [Fact]
    public void Open_EveryTruncation_FailsWithNamedReason()
    {
        var valid = File.ReadAllBytes(CheckpointBuilder.Random(CheckpointBuilder.Sd1Keys.Take(5), 1).Write(_temp.File("valid.safetensors")));
        for (var length = 0; length < valid.Length; length += 7)
        {
            var path = WriteBytes(valid[..length], "cut.safetensors");
            Assert.Throws<SafetensorsException>(() => SafetensorsFile.Open(path).Dispose());
        }
    }

    [Fact]
    public void Open_RandomCorruption_NeverThrowsAnythingElse()
    {
        var valid = File.ReadAllBytes(CheckpointBuilder.Random(CheckpointBuilder.Sd1Keys.Take(6), 2).Write(_temp.File("valid.safetensors")));
        Gen.Int[0, valid.Length - 1].Array[1, 8].Select(Gen.Byte.Array[8]).Sample((positions, values) =>
        {
            var bytes = (byte[])valid.Clone();
            for (var i = 0; i < positions.Length; i++)
            {
                bytes[positions[i]] = values[i];
            }

            var path = _temp.File($"mutant-{Guid.NewGuid():N}.safetensors");
            File.WriteAllBytes(path, bytes);
            try
            {
                using var file = SafetensorsFile.Open(path);
                foreach (var t in file.Tensors)
                {
                    using var view = file.OpenTensor(t);
                    Assert.Equal(t.ByteLength, view.Bytes.Length);
                }
            }
            catch (SafetensorsException)
            {
            }
        }, iter: 300);
    }

    [Fact]
    public void WriteThenOpen_RandomTensors_RoundTrips()
    {
        var dtypes = new[] { DType.F32, DType.F16, DType.BF16, DType.I64, DType.U8, DType.BOOL, DType.F64, DType.I8 };
        var genTensor = Gen.Select(Gen.Int[0, dtypes.Length - 1], Gen.Int[0, 5].Array[0, 3]);
        Gen.Select(genTensor.Array[0, 6], Gen.String[Gen.Char.AlphaNumeric, 0, 12]).Sample((tensors, metaValue) =>
        {
            var specs = tensors.Select((t, i) => new TensorSpec($"t{i}.w", dtypes[t.Item1], t.Item2.Select(d => (long)d).ToArray())).ToList();
            var rng = new Random(tensors.Length);
            var payload = specs.Select(s =>
            {
                var b = new byte[s.ByteLength];
                rng.NextBytes(b);
                return (s, b);
            }).ToList();
            var path = _temp.File($"rt-{Guid.NewGuid():N}.safetensors");
            SafetensorsWriter.WriteAll(path, payload, new Dictionary<string, string> { ["m"] = metaValue });
            using var file = SafetensorsFile.Open(path);
            Assert.Equal(metaValue, file.Metadata["m"]);
            Assert.Equal(specs.Count, file.Tensors.Count);
            Assert.Equal(0, file.DataStart % 8);
            foreach (var (spec, bytes) in payload)
            {
                var info = file[spec.Name];
                Assert.Equal(spec.DType, info.DType);
                Assert.Equal(spec.Shape, info.Shape);
                Assert.Equal(bytes, file.ReadAll(info));
            }
        }, iter: 60);
    }
}
