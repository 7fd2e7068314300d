using Seamless.Architecture;
using Seamless.Errors;
using Seamless.Safetensors;

namespace Seamless.Merging;

/// <summary>
/// Turns a recipe and the inputs' headers into a <see cref="MergePlan"/>. Pure: reads headers, never tensor data.
/// The output has exactly the base model's keys, in its order. Non-float tensors and keys outside the blocks come
/// from the base unchanged; a key some model lacks comes from the base (with a warning); a shape mismatch is an error.
/// </summary>
public static class MergePlanner
{
    private const int NamedKeysInWarning = 3;

    /// <param name="headers">Headers of <see cref="MergeRecipe.InputPaths"/>, in that order.</param>
    public static MergePlan Plan(MergeRecipe recipe, IReadOnlyList<SafetensorsHeader> headers, ModelArchitecture architecture)
    {
        var inputs = recipe.InputPaths;
        if (headers.Count != inputs.Count)
        {
            throw new ArgumentException($"expected {inputs.Count} headers, got {headers.Count}", nameof(headers));
        }

        var method = MergeMethods.Get(recipe.Method);
        var map = new BlockMap(architecture, recipe.BlockMapOptions);
        var problems = new List<string>();
        var weights = new List<BlockWeights>();
        foreach (var model in recipe.Models)
        {
            var local = new List<string>();
            var resolved = model.Weights.Resolve(map.Layout, local);
            problems.AddRange(local.Select(p => $"{model.Path}: {p}"));
            if (resolved is not null)
            {
                weights.Add(resolved);
            }
        }

        if (problems.Count > 0)
        {
            throw new RecipeException(null, problems);
        }

        var inputIndex = inputs.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i, StringComparer.Ordinal);
        var termsByBlock = map.Layout.Blocks.ToDictionary(
            b => b,
            b => method.Terms(weights.Select(w => w[b]).ToList())
                .Select(t => (Input: t.Model == MergeTerm.Base ? 0 : inputIndex[t.Subtracted ? recipe.Models[t.Model].Subtract! : recipe.Models[t.Model].Path], t.Coefficient))
                .GroupBy(t => t.Input)
                .Select(g => (Input: g.Key, Coefficient: g.Sum(t => t.Coefficient)))
                .ToList(),
            StringComparer.Ordinal);

        var baseHeader = headers[0];
        var missing = new Dictionary<int, List<string>>();
        var mismatches = new List<string>();
        var tensors = new List<PlannedTensor>(baseHeader.Tensors.Count);
        foreach (var a in baseHeader.Tensors.OrderBy(t => t.Begin))
        {
            string? block;
            try
            {
                block = map.Resolve(a.Name);
            }
            catch (KeyNotFoundException e)
            {
                throw new CheckpointException(inputs[0], CheckpointError.UnknownArchitecture, e.Message);
            }

            var index = tensors.Count;
            if (block is null || !a.DType.IsFloat())
            {
                tensors.Add(new PlannedTensor(index, new TensorSpec(a.Name, a.DType, a.Shape), block, [new PlannedSource(0, a, 1f)], RawCopy: true));
                continue;
            }

            var sources = new List<PlannedSource>();
            var complete = true;
            foreach (var (input, coefficient) in termsByBlock[block])
            {
                if (!headers[input].ByName.TryGetValue(a.Name, out var t))
                {
                    (missing.TryGetValue(input, out var list) ? list : missing[input] = []).Add(a.Name);
                    complete = false;
                    continue;
                }

                if (!t.SameShape(a))
                {
                    mismatches.Add($"'{a.Name}' is {a.ShapeText} in {Path.GetFileName(inputs[0])} but {t.ShapeText} in {Path.GetFileName(inputs[input])}");
                    continue;
                }

                if (!t.DType.IsFloat())
                {
                    mismatches.Add($"'{a.Name}' is {t.DType} in {Path.GetFileName(inputs[input])}, not a float type");
                    continue;
                }

                if (coefficient != 0)
                {
                    sources.Add(new PlannedSource(input, t, (float)coefficient));
                }
            }

            if (!complete)
            {
                sources = [new PlannedSource(0, a, 1f)];
            }

            var output = new TensorSpec(a.Name, recipe.OutputDType, a.Shape);
            var raw = sources.Count == 1 && sources[0].Coefficient == 1f && sources[0].Tensor.DType == recipe.OutputDType;
            tensors.Add(new PlannedTensor(index, output, block, sources, raw));
        }

        if (mismatches.Count > 0)
        {
            throw new CheckpointException(null, CheckpointError.ShapeMismatch,
                $"{mismatches.Count} tensor(s) do not match: {string.Join("; ", mismatches.Take(NamedKeysInWarning))}{(mismatches.Count > NamedKeysInWarning ? "; …" : string.Empty)}");
        }

        var warnings = missing.OrderBy(kv => kv.Key).Select(kv =>
            $"{Path.GetFileName(inputs[kv.Key])} lacks {kv.Value.Count} key(s) the base has ({string.Join(", ", kv.Value.Take(NamedKeysInWarning))}{(kv.Value.Count > NamedKeysInWarning ? ", …" : string.Empty)}); those tensors are taken from the base").ToList();
        for (var i = 1; i < headers.Count; i++)
        {
            var extra = headers[i].Tensors.Count(t => !baseHeader.ByName.ContainsKey(t.Name));
            if (extra > 0)
            {
                warnings.Add($"{Path.GetFileName(inputs[i])} has {extra} key(s) the base lacks; they are not in the output");
            }
        }

        return new MergePlan(recipe, architecture, map, inputs, weights, tensors, warnings);
    }
}
