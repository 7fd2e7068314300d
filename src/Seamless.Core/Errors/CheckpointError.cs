namespace Seamless.Errors;

/// <summary>Why a (valid) safetensors file cannot take part in a merge.</summary>
public enum CheckpointError
{
    UnknownArchitecture,
    NotAFullCheckpoint,
    ArchitectureMismatch,
    ShapeMismatch,
    DTypeNotMergeable,
}
