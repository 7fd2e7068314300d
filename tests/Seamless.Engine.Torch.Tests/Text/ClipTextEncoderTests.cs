using Seamless.Engine.Torch.Text;
using Seamless.Engine.Torch.Weights;
using Seamless.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Seamless.Tests.Text;

/// <summary>
/// Against ../shared/golden/clip_l_tiny.safetensors (OpenAI CLIP / HF CLIPTextModel reference outputs of a tiny random
/// CLIP-L: width 16, 2 heads, 3 layers). Tolerance atol 1e-4 + rtol 1e-4 as the golden README suggests.
/// </summary>
public sealed class ClipTextEncoderTests
{
    private static void Close(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var diff = (expected - actual).abs().max().item<float>();
        Assert.True(allclose(actual, expected, rtol: 1e-4, atol: 1e-4), $"{what}: max |diff| {diff}");
    }

    [SharedDataFact]
    public void HiddenStates_TinyClipL_MatchReference()
    {
        using var scope = NewDisposeScope();
        using var file = SafetensorsFile.Open(SharedData.File("golden/clip_l_tiny.safetensors")!);
        using var encoder = ClipTextEncoder.Load(file, heads: 2);
        Assert.Equal(3, encoder.Depth);
        var ids = TensorLoader.Load(file, "test.input_ids");
        var states = encoder.HiddenStates(ids);
        for (var k = 0; k <= 3; k++)
        {
            Close(TensorLoader.Load(file, $"test.hidden_states.{k}"), states[k], $"hidden_states.{k}");
        }

        Close(TensorLoader.Load(file, "test.last_hidden_state"), encoder.FinalNorm(states[3]), "last_hidden_state");
        Close(TensorLoader.Load(file, "test.penultimate_hidden_state_ln"), encoder.FinalNorm(states[2]), "penultimate (clip skip 2)");
        Close(TensorLoader.Load(file, "test.penultimate_hidden_state"), states[2], "penultimate without final norm");

        // Pooled: the final-normed state at each row's first end-of-text token (argmax of the ids).
        Close(TensorLoader.Load(file, "test.pooled_eot"), encoder.Pooled(encoder.FinalNorm(states[3]), ids), "pooled");
    }

    [SharedDataFact]
    public void HiddenStates_TinyOpenClipG_MatchReference()
    {
        using var scope = NewDisposeScope();
        using var file = SafetensorsFile.Open(SharedData.File("golden/clip_g_tiny.safetensors")!);
        using var encoder = ClipTextEncoder.LoadOpenClip(file, heads: 2);
        var ids = TensorLoader.Load(file, "test.input_ids");
        var states = encoder.HiddenStates(ids);
        Close(TensorLoader.Load(file, "test.penultimate"), states[^2], "penultimate (SDXL context)");
        Close(TensorLoader.Load(file, "test.last"), states[^1], "last");
        var lastLn = encoder.FinalNorm(states[^1]);
        Close(TensorLoader.Load(file, "test.last_ln"), lastLn, "last, final norm");
        Close(TensorLoader.Load(file, "test.pooled"), encoder.Pooled(lastLn, ids), "pooled through text_projection");
    }

    [SharedDataFact]
    public void HiddenStates_ManyCalls_NoTensorLeak()
    {
        using var file = SafetensorsFile.Open(SharedData.File("golden/clip_l_tiny.safetensors")!);
        using var encoder = ClipTextEncoder.Load(file, heads: 2);
        using var ids = TensorLoader.Load(file, "test.input_ids");
        long before = 0;
        for (var i = 0; i < 100; i++)
        {
            using (NewDisposeScope())
            {
                _ = encoder.HiddenStates(ids);
            }

            if (i == 9)
            {
                before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            }
        }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
