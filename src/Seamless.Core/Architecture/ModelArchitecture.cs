namespace Seamless.Architecture;

/// <summary>Checkpoint families Seamless merges. SD2 shares SD1's block layout.</summary>
public enum ModelArchitecture
{
    SD1,
    SD2,
    SDXL,
}
