using System.Text;
using System.Text.Json;
using Seamless.Errors;

namespace Seamless.Safetensors;

/// <summary>
/// The parsed and validated JSON header. Validation follows the format's reference implementation:
/// a JSON object, <c>__metadata__</c> a string→string map, every tensor with a known dtype, non-negative shape,
/// in-bounds <c>data_offsets</c> with begin ≤ end and byte length = product(shape) × dtype size, and the tensors
/// together covering the data area exactly, without overlap.
/// </summary>
public sealed class SafetensorsHeader
{
    public const string MetadataKey = "__metadata__";

    /// <summary>The reference implementation's limit; larger headers are refused before any allocation.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private SafetensorsHeader(IReadOnlyList<TensorInfo> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
        ByName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>Tensors in data order (ascending offsets).</summary>
    public IReadOnlyList<TensorInfo> Tensors { get; }

    public IReadOnlyDictionary<string, TensorInfo> ByName { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public static SafetensorsHeader Parse(ReadOnlySpan<byte> json, long dataLength, string? path)
    {
        if (json.Length == 0 || json[0] != (byte)'{')
        {
            throw Fail(path, SafetensorsError.InvalidHeaderStart, "header does not start with '{' (not a safetensors file?)");
        }

        if (!IsValidUtf8(json))
        {
            throw Fail(path, SafetensorsError.InvalidHeaderUtf8, "header is not valid UTF-8");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw Fail(path, SafetensorsError.InvalidHeaderJson, $"header is not valid JSON ({FirstLine(e.Message)})");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Fail(path, SafetensorsError.InvalidHeaderJson, "header JSON is not an object");
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var tensors = new List<TensorInfo>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw Fail(path, SafetensorsError.DuplicateTensorName, $"key '{property.Name}' appears twice in the header");
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata, path);
                }
                else
                {
                    tensors.Add(ReadTensor(property.Name, property.Value, dataLength, path));
                }
            }

            CheckCoverage(tensors, dataLength, path);
            return new SafetensorsHeader(tensors, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string? path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Fail(path, SafetensorsError.InvalidMetadata, "__metadata__ is not a JSON object");
        }

        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw Fail(path, SafetensorsError.InvalidMetadata, $"__metadata__ value of '{entry.Name}' is not a string");
            }

            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
            {
                throw Fail(path, SafetensorsError.InvalidMetadata, $"__metadata__ key '{entry.Name}' appears twice");
            }
        }
    }

    private static TensorInfo ReadTensor(string name, JsonElement value, long dataLength, string? path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Fail(path, SafetensorsError.MissingField, $"tensor '{name}' is not a JSON object");
        }

        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw Fail(path, SafetensorsError.MissingField, $"tensor '{name}' has no string 'dtype'");
        }

        if (!DTypeExtensions.TryParseHeaderName(dtypeElement.GetString()!, out var dtype))
        {
            throw Fail(path, SafetensorsError.InvalidDType, $"tensor '{name}' has unknown dtype '{dtypeElement.GetString()}'");
        }

        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw Fail(path, SafetensorsError.MissingField, $"tensor '{name}' has no 'shape' array");
        }

        var shape = new List<long>(shapeElement.GetArrayLength());
        long elements = 1;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var d) || d < 0)
            {
                throw Fail(path, SafetensorsError.InvalidShape, $"tensor '{name}' has a shape entry that is not a non-negative integer ({dim.GetRawText()})");
            }

            shape.Add(d);
            try
            {
                elements = checked(elements * d);
            }
            catch (OverflowException)
            {
                throw Fail(path, SafetensorsError.ShapeOverflow, $"tensor '{name}' shape {Show(shape)} overflows");
            }
        }

        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
        {
            throw Fail(path, SafetensorsError.MissingField, $"tensor '{name}' has no 'data_offsets' pair");
        }

        if (!offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end) || begin < 0 || end < 0)
        {
            throw Fail(path, SafetensorsError.InvalidOffset, $"tensor '{name}' data_offsets are not non-negative integers");
        }

        if (begin > end || end > dataLength)
        {
            throw Fail(path, SafetensorsError.InvalidOffset, $"tensor '{name}' data_offsets [{begin}, {end}] are outside the data area of {dataLength} bytes (truncated file?)");
        }

        long expected;
        try
        {
            expected = checked(elements * dtype.Size());
        }
        catch (OverflowException)
        {
            throw Fail(path, SafetensorsError.ShapeOverflow, $"tensor '{name}' shape {Show(shape)} overflows");
        }

        if (end - begin != expected)
        {
            throw Fail(path, SafetensorsError.TensorSizeMismatch, $"tensor '{name}' {dtype} {Show(shape)} needs {expected} bytes but data_offsets give {end - begin}");
        }

        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static void CheckCoverage(List<TensorInfo> tensors, long dataLength, string? path)
    {
        tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long covered = 0;
        foreach (var t in tensors)
        {
            if (t.Begin < covered)
            {
                throw Fail(path, SafetensorsError.OverlappingTensors, $"tensor '{t.Name}' at [{t.Begin}, {t.End}] overlaps the tensor before it");
            }

            if (t.Begin > covered)
            {
                throw Fail(path, SafetensorsError.DataNotCovered, $"bytes [{covered}, {t.Begin}) of the data area belong to no tensor");
            }

            covered = t.End;
        }

        if (covered != dataLength)
        {
            throw Fail(path, SafetensorsError.DataNotCovered, $"the data area has {dataLength - covered} bytes after the last tensor");
        }
    }

    private static bool IsValidUtf8(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    private static string Show(List<long> shape) => "[" + string.Join(", ", shape) + "]";

    private static string FirstLine(string message)
    {
        var i = message.IndexOfAny(['\r', '\n']);
        return i < 0 ? message : message[..i];
    }

    private static SafetensorsException Fail(string? path, SafetensorsError reason, string detail) => new(path, reason, detail);
}
