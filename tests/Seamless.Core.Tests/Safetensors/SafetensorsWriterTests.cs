using Seamless.Safetensors;
using Seamless.Tests.TestSupport;

namespace Seamless.Tests.Safetensors;

public sealed class SafetensorsWriterTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly TensorSpec[] Specs = [new("a", DType.F32, [2]), new("b", DType.U8, [3])];

    [Fact]
    public void Dispose_WithoutCommit_LeavesNoFileBehind()
    {
        var path = _temp.File("out.safetensors");
        using (var writer = SafetensorsWriter.Create(path, Specs, null))
        {
            writer.Write(0, 0, new byte[8]);
        }

        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void Commit_MissingBytes_ThrowsAndKeepsExistingOutput()
    {
        var path = _temp.File("out.safetensors");
        File.WriteAllText(path, "previous");
        using (var writer = SafetensorsWriter.Create(path, Specs, null))
        {
            writer.Write(0, 0, new byte[8]);
            Assert.Throws<InvalidOperationException>(writer.Commit);
        }

        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void Write_OutOfOrderChunks_ProducesSameFileAsInOrder()
    {
        var a = _temp.File("a.safetensors");
        var b = _temp.File("b.safetensors");
        var payload = Enumerable.Range(1, 8).Select(i => (byte)i).ToArray();
        using (var w = SafetensorsWriter.Create(a, Specs, null))
        {
            w.Write(0, 0, payload);
            w.Write(1, 0, new byte[] { 9, 9, 9 });
            w.Commit();
        }

        using (var w = SafetensorsWriter.Create(b, Specs, null))
        {
            w.Write(1, 1, new byte[] { 9, 9 });
            w.Write(0, 4, payload.AsSpan(4));
            w.Write(1, 0, new byte[] { 9 });
            w.Write(0, 0, payload.AsSpan(0, 4));
            w.Commit();
        }

        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void Write_OutsideTensor_Throws()
    {
        using var w = SafetensorsWriter.Create(_temp.File("x.safetensors"), Specs, null);
        Assert.Throws<ArgumentOutOfRangeException>(() => w.Write(1, 2, new byte[2]));
    }

    [Fact]
    public void Create_MissingFolder_NamedError()
    {
        var e = Assert.Throws<Seamless.Errors.SafetensorsException>(() => SafetensorsWriter.Create(_temp.File("no/such/x.safetensors"), Specs, null));
        Assert.Equal(Seamless.Errors.SafetensorsError.WriteFailed, e.Reason);
    }
}
