namespace Seamless.Search.Optimizers;

/// <summary>
/// Latin hypercube designs: each dimension's n strata each hold exactly one point. Of a few random designs the one
/// with the largest minimum pairwise distance is kept (maximin), which spreads initial points better than
/// independent uniform draws.
/// </summary>
public static class LatinHypercube
{
    public static List<double[]> Sample(int count, int dimensions, Random random, int candidates = 10)
    {
        List<double[]>? best = null;
        var bestDistance = double.NegativeInfinity;
        for (var c = 0; c < candidates; c++)
        {
            var design = Enumerable.Range(0, count).Select(_ => new double[dimensions]).ToList();
            for (var d = 0; d < dimensions; d++)
            {
                var strata = Enumerable.Range(0, count).OrderBy(_ => random.Next()).ToArray();
                for (var i = 0; i < count; i++)
                {
                    design[i][d] = (strata[i] + random.NextDouble()) / count;
                }
            }

            var distance = MinimumDistance(design);
            if (distance > bestDistance)
            {
                bestDistance = distance;
                best = design;
            }
        }

        return best!;
    }

    private static double MinimumDistance(List<double[]> points)
    {
        var min = double.PositiveInfinity;
        for (var i = 0; i < points.Count; i++)
        {
            for (var j = i + 1; j < points.Count; j++)
            {
                double s = 0;
                for (var d = 0; d < points[i].Length; d++)
                {
                    var diff = points[i][d] - points[j][d];
                    s += diff * diff;
                }

                min = Math.Min(min, s);
            }
        }

        return min;
    }
}
