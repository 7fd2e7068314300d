using System.Text.Json;

namespace Seamless.Backends.Web.Http;

/// <summary>Tolerant reads of server JSON: a missing or mistyped field is null, never an exception.</summary>
internal static class JsonFields
{
    public static string? Str(JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
