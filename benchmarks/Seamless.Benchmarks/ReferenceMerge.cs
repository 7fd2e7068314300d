using Seamless.Architecture;
using Seamless.Merging;
using Seamless.Safetensors;

namespace Seamless.Benchmarks;

/// <summary>
/// The straightforward path the checkpoint engine is measured against, as the original system and most merge
/// scripts work: load every input fully into memory, cast each tensor to fp32 element by element, weighted sum,
/// cast back, keep the whole output in memory, save.
/// </summary>
internal static class ReferenceMerge
{
    public static void Run(MergeRecipe recipe, string output)
    {
        var inputs = recipe.InputPaths.Select(LoadAll).ToList();
        using var header = SafetensorsFile.Open(recipe.BasePath);
        var map = new BlockMap(ArchitectureDetector.Detect(header), recipe.BlockMapOptions);
        var weights = recipe.Models.Select(m => m.Weights.Resolve(map.Layout, new List<string>())!).ToList();
        var result = new List<(TensorSpec, byte[])>();
        foreach (var (name, (info, bytes)) in inputs[0])
        {
            var block = map.Resolve(name);
            if (block is null || !info.DType.IsFloat())
            {
                result.Add((new TensorSpec(name, info.DType, info.Shape), bytes));
                continue;
            }

            var w = weights.Select(x => (float)x[block]).ToArray();
            var sum = ToFloat(info, bytes);
            var baseShare = 1 - w.Sum();
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] *= baseShare;
            }

            for (var m = 0; m < recipe.Models.Count; m++)
            {
                var (mi, mb) = inputs[m + 1][name];
                var x = ToFloat(mi, mb);
                for (var i = 0; i < sum.Length; i++)
                {
                    sum[i] += w[m] * x[i];
                }
            }

            var outBytes = new byte[sum.Length * 2];
            for (var i = 0; i < sum.Length; i++)
            {
                BitConverter.TryWriteBytes(outBytes.AsSpan(2 * i), (Half)sum[i]);
            }

            result.Add((new TensorSpec(name, DType.F16, info.Shape), outBytes));
        }

        SafetensorsWriter.WriteAll(output, result, null);
    }

    private static Dictionary<string, (TensorInfo Info, byte[] Bytes)> LoadAll(string path)
    {
        using var file = SafetensorsFile.Open(path);
        return file.Tensors.ToDictionary(t => t.Name, t => (t, file.ReadAll(t)));
    }

    private static float[] ToFloat(TensorInfo info, byte[] bytes)
    {
        var values = new float[info.ElementCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = info.DType switch
            {
                DType.F16 => (float)BitConverter.ToHalf(bytes, 2 * i),
                DType.F32 => BitConverter.ToSingle(bytes, 4 * i),
                DType.BF16 => BitConverter.UInt32BitsToSingle((uint)BitConverter.ToUInt16(bytes, 2 * i) << 16),
                _ => throw new NotSupportedException(info.DType.ToString()),
            };
        }

        return values;
    }
}
