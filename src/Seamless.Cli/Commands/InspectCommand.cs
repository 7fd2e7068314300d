using System.Text.Json;
using System.Text.Json.Nodes;
using Seamless.Architecture;
using Seamless.Cli.Infrastructure;
using Seamless.Contact;
using Seamless.Errors;
using Seamless.Merging;
using Seamless.Safetensors;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Seamless.Cli.Commands;

/// <summary><c>seamless inspect FILE</c>: what a checkpoint is and how it was made.</summary>
public sealed class InspectCommand(CliConsoles consoles) : Command<InspectSettings>
{
    public override int Execute(CommandContext context, InspectSettings settings, CancellationToken cancellationToken)
    {
        using var file = SafetensorsFile.Open(settings.File);
        var report = CheckpointReport.Create(file);
        var o = consoles.Out;
        if (settings.Json)
        {
            consoles.WriteRaw(report.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }

        o.MarkupLine($"[bold]{Markup.Escape(file.Path)}[/]");
        o.MarkupLine($"  size          {file.FileLength:N0} bytes, header {file.HeaderLength:N0} bytes");
        o.MarkupLine($"  architecture  {Markup.Escape(report.ArchitectureText)}");
        o.MarkupLine($"  tensors       {file.Tensors.Count:N0}, {report.Parameters:N0} parameters");
        o.MarkupLine($"  dtypes        {Markup.Escape(string.Join(", ", report.DTypes.Select(kv => $"{kv.Key} ×{kv.Value}")))}");
        if (report.Blocks is not null)
        {
            var table = new Table().Border(TableBorder.Simple).AddColumn("block").AddColumn(new TableColumn("tensors").RightAligned()).AddColumn(new TableColumn("parameters").RightAligned());
            foreach (var (block, (tensors, parameters)) in report.Blocks)
            {
                table.AddRow(block, tensors.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), parameters.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
            }

            o.Write(table);
        }

        if (file.Metadata.Count > 0)
        {
            o.MarkupLine("[bold]metadata[/]");
            foreach (var (key, value) in file.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                if (key is MergeMetadata.RecipeKey or ContactMerger.MetadataKey)
                {
                    continue;
                }

                var shown = value.Length > 120 ? value[..117] + "…" : value;
                o.MarkupLine($"  {Markup.Escape(key)} = {Markup.Escape(shown.ReplaceLineEndings(" "))}");
            }
        }

        foreach (var key in new[] { MergeMetadata.RecipeKey, ContactMerger.MetadataKey })
        {
            if (file.Metadata.TryGetValue(key, out var recipe))
            {
                o.MarkupLine($"[bold]{key}[/]");
                consoles.WriteRaw(Pretty(recipe));
            }
        }

        if (settings.Keys)
        {
            foreach (var t in file.Tensors)
            {
                consoles.WriteRaw($"{t.Name}\t{t.DType}\t{t.ShapeText}");
            }
        }

        return 0;
    }

    private static string Pretty(string json)
    {
        try
        {
            return JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
