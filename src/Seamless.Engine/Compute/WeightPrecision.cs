namespace Seamless.Engine.Compute;

/// <summary>The dtype the engine keeps a model's UNet and text encoders in.</summary>
public enum WeightPrecision
{
    Fp32,
    Fp16,
    Bf16,
}
