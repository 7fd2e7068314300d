namespace Seamless.Evaluation.Tagging;

/// <summary>How a tagger wants its input batch: channels last (WD, Keras exports) or first (PyTorch exports).</summary>
public enum TensorLayout
{
    Nhwc,
    Nchw,
}
