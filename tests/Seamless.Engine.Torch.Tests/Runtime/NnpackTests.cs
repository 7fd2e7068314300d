using Seamless.Engine.Torch.Runtime;
using TorchSharp;

namespace Seamless.Tests.Runtime;

/// <summary>
/// The switch itself; that the quickstart's output stays short (no NNPACK warning per convolution) is checked by the
/// smoke test in .ci/run, which counts its lines.
/// </summary>
public sealed class NnpackTests
{
    [Fact]
    public void Disable_LibtorchOfThisBuild_ReadsBackOff()
    {
        // Read back through libtorch's own getter: fails if the symbols moved or the call did nothing.
        Assert.True(Nnpack.Disable());
        Assert.True(Nnpack.Disable());
    }

    [Fact]
    public void Disable_BatchOfSixteenConvolutions_SameAsOneByOne()
    {
        // A batch of 16 is where ATen would consider NNPACK: the default path must give the same numbers.
        Assert.True(Nnpack.Disable());
        using var input = torch.randn(16, 3, 8, 8);
        using var weight = torch.randn(4, 3, 3, 3);
        using var batched = torch.nn.functional.conv2d(input, weight, padding: [1, 1]);
        using var first = torch.nn.functional.conv2d(input[..1], weight, padding: [1, 1]);
        Assert.True(batched[..1].allclose(first, rtol: 1e-4, atol: 1e-5));
    }
}
