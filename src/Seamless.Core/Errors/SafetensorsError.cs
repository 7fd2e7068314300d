namespace Seamless.Errors;

/// <summary>Why a file is not a valid safetensors file (names follow the format's reference implementation where it has one).</summary>
public enum SafetensorsError
{
    NotFound,
    NotAFile,
    PickleCheckpoint,
    FileTooSmall,
    HeaderTooLarge,
    HeaderOutOfBounds,
    InvalidHeaderStart,
    InvalidHeaderUtf8,
    InvalidHeaderJson,
    InvalidMetadata,
    DuplicateTensorName,
    MissingField,
    InvalidDType,
    InvalidShape,
    ShapeOverflow,
    InvalidOffset,
    TensorSizeMismatch,
    OverlappingTensors,
    DataNotCovered,
    TensorTooLarge,
    WriteFailed,
}
