using Seamless.Evaluation.Tags;
using Seamless.Fabrication;

namespace Seamless.Evaluation.Fabrication;

/// <summary>
/// The shared secret of the quickstart's tiny tagger and toy generator: each tag has a ±1 colour pattern over an
/// <see cref="Grid"/>×<see cref="Grid"/> grid of RGB cells, and a direction in block space. The tagger (an ONNX
/// model built from these numbers) sees a tag when the image carries its pattern; the toy generator paints a
/// tag's pattern as strongly as the model's per-block weights favour it. Nothing here is meaningful beyond
/// making the whole loop real and weight-dependent on a machine with nothing downloaded.
/// </summary>
public sealed class TinyWorld
{
    public const int Grid = 8;
    public const int ImageSize = 64;
    public const int CellSize = ImageSize / Grid;
    public const int Features = 3 * Grid * Grid;

    /// <summary>Pattern amplitude (0–255 units) a fully expressed tag adds to each cell channel.</summary>
    public const double Amplitude = 3.0;

    /// <summary>Logit gain: a lone tag at full strength scores +Gain/2, absent −Gain/2.</summary>
    public const double Gain = 12.0;

    private readonly sbyte[][] _patterns;
    private readonly double[][] _directions;
    private readonly double[] _difficulty;

    public TinyWorld(ulong seed, int blocks, int tagCount = 96)
    {
        Seed = seed;
        Blocks = blocks;
        Tags = PickTags(tagCount);
        _patterns = new sbyte[Tags.Count][];
        _directions = new double[Tags.Count][];
        _difficulty = new double[Tags.Count];
        for (var t = 0; t < Tags.Count; t++)
        {
            var rng = new SplitMix64(seed ^ (0xA5A5UL + ((ulong)t * 0x9E3779B97F4A7C15UL)));
            _patterns[t] = new sbyte[Features];
            for (var f = 0; f < Features; f++)
            {
                _patterns[t][f] = (rng.Next() & 1) == 0 ? (sbyte)-1 : (sbyte)1;
            }

            _directions[t] = new double[blocks];
            for (var b = 0; b < blocks; b++)
            {
                _directions[t][b] = rng.NextSignedUnit() * Math.Sqrt(3);
            }

            _difficulty[t] = rng.NextSignedUnit() * 1.5;
        }
    }

    public const string FileName = "tiny-world.json";

    public ulong Seed { get; }

    public int TagCount => Tags.Count;

    /// <summary>Writes the world's parameters beside its tiny tagger, so <c>--backend toy</c> can rebuild it.</summary>
    public void Save(string folder) =>
        File.WriteAllText(Path.Combine(folder, FileName), System.Text.Json.JsonSerializer.Serialize(new { seed = Seed, blocks = Blocks, tags = Tags.Count }));

    /// <summary>The world saved in a tagger folder, or null when the folder holds a real tagger.</summary>
    public static TinyWorld? TryLoad(string taggerFolder)
    {
        var path = Directory.Exists(taggerFolder) ? Path.Combine(taggerFolder, FileName) : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(taggerFolder))!, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var r = doc.RootElement;
        return new TinyWorld(r.GetProperty("seed").GetUInt64(), r.GetProperty("blocks").GetInt32(), r.GetProperty("tags").GetInt32());
    }

    public int Blocks { get; }

    /// <summary>The general tags of this world, canonical, most frequent first.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>Pattern of tag <paramref name="t"/>, indexed [channel (R,G,B) · Grid² + cell].</summary>
    public ReadOnlySpan<sbyte> Pattern(int t) => _patterns[t];

    /// <summary>How well a model with standardised block features <paramref name="features"/> draws tag t (0–1).</summary>
    public double Skill(int t, ReadOnlySpan<double> features)
    {
        var dot = 0.0;
        var d = _directions[t];
        for (var b = 0; b < Math.Min(d.Length, features.Length); b++)
        {
            dot += d[b] * features[b];
        }

        var z = (2.0 * dot / Math.Sqrt(Math.Max(1, d.Length))) + _difficulty[t];
        return 1.0 / (1.0 + Math.Exp(-z));
    }

    /// <summary>Tags spread over the catalog's categories (round robin), so per-category tables have rows.</summary>
    private static List<string> PickTags(int count)
    {
        var json = System.Text.Json.JsonDocument.Parse(TagCatalog.DefaultJson());
        var lists = json.RootElement.GetProperty("categories").EnumerateObject()
            .Select(p => p.Value.EnumerateArray().Select(e => TagText.Canonical(e.GetString()!)).ToList())
            .ToList();
        var picked = new List<string>(count);
        for (var round = 0; picked.Count < count; round++)
        {
            var any = false;
            foreach (var list in lists)
            {
                if (round < list.Count && picked.Count < count && !picked.Contains(list[round]) && list[round] != "1girl")
                {
                    picked.Add(list[round]);
                }

                any |= round < list.Count;
            }

            if (!any)
            {
                break;
            }
        }

        return picked;
    }

    /// <summary>
    /// The image of a feature field: each grid cell's three channel values added to mid-grey, plus
    /// <paramref name="noise"/> · a uniform draw in [−1, 1) per pixel and channel from <paramref name="rng"/>.
    /// </summary>
    public static Images.RgbaImage Paint(double[] field, ref SplitMix64 rng, double noise)
    {
        ArgumentNullException.ThrowIfNull(field);
        const int s = ImageSize;
        var px = new byte[s * s * 4];
        for (var y = 0; y < s; y++)
        {
            for (var x = 0; x < s; x++)
            {
                var cell = ((y / CellSize) * Grid) + (x / CellSize);
                var o = ((y * s) + x) * 4;
                for (var c = 0; c < 3; c++)
                {
                    var v = 128 + field[(c * Grid * Grid) + cell] + (noise * rng.NextSignedUnit());
                    px[o + c] = (byte)Math.Clamp(Math.Round(v), 0, 255);
                }

                px[o + 3] = 255;
            }
        }

        return new Images.RgbaImage(s, s, px);
    }
}
