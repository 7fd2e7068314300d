namespace Seamless.Evaluation.Errors;

/// <summary>Why an evaluation input or backend was refused.</summary>
public enum EvaluationError
{
    /// <summary>A tagger label file (selected_tags.csv, classes.json) is malformed.</summary>
    LabelFileInvalid,

    /// <summary>A tag catalog file is malformed.</summary>
    CatalogInvalid,

    /// <summary>A tagger model or spec does not match what Seamless needs (inputs, outputs, labels).</summary>
    TaggerInvalid,

    /// <summary>An image encoder (for diversity) does not match what Seamless needs, or its preprocessing config is malformed.</summary>
    EncoderInvalid,

    /// <summary>An image could not be decoded.</summary>
    ImageInvalid,

    /// <summary>The prompt protocol is inconsistent (for example more tags per prompt than the pool holds).</summary>
    ProtocolInvalid,

    /// <summary>A generation backend refused the request or kept failing after retries.</summary>
    BackendFailed,

    /// <summary>A backend drew images with another model, sampler or seed than the one asked for.</summary>
    BackendMismatch,
}
