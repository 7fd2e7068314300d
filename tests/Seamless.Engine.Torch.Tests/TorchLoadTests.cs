using TorchSharp;

namespace Seamless.Tests;

public sealed class TorchLoadTests
{
    [Fact]
    public void Torch_LoadsAndComputes()
    {
        using var a = torch.ones(2, 3);
        Assert.Equal(6f, a.sum().item<float>());
    }
}
