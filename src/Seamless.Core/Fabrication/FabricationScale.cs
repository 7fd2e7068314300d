namespace Seamless.Fabrication;

/// <summary>How big a fabricated checkpoint is.</summary>
public enum FabricationScale
{
    /// <summary>Every key with its real shape (SD1.5 ≈ 2.1 GB, SDXL ≈ 6.9 GB in fp16).</summary>
    Full,

    /// <summary>Every key, widths shrunk consistently (≈ 33 MB for SD1.5, 78 MB for SDXL): for tests and the quickstart.</summary>
    Tiny,
}
