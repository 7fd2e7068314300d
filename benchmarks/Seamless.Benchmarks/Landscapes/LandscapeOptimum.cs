namespace Seamless.Benchmarks.Landscapes;

/// <summary>
/// The maximiser of a cheap deterministic function on a box, found thoroughly enough to measure regret against:
/// from several starts, coordinate passes (a 41-point grid per coordinate, so a bimodal weight's better well is
/// found, then golden-section refinement) alternate with projected gradient ascent (central differences, backtracking),
/// which follows coupled directions such as a ridge along the sum of two weights. The benchmark reports a negative
/// regret if an optimiser ever beats it.
/// </summary>
internal static class LandscapeOptimum
{
    public static double[] Find(Func<double[], double> f, int d, double low, double high, int seed)
    {
        var random = new Random(seed * 104_729);
        var starts = new List<double[]>
        {
            Enumerable.Repeat(Math.Clamp(0, low, high), d).ToArray(),
            Enumerable.Repeat((low + high) / 2, d).ToArray(),
        };
        for (var i = 0; i < 10; i++)
        {
            starts.Add(Enumerable.Range(0, d).Select(_ => low + (random.NextDouble() * (high - low))).ToArray());
        }

        double[]? best = null;
        var bestValue = double.NegativeInfinity;
        foreach (var start in starts)
        {
            var x = (double[])start.Clone();
            var value = f(x);
            for (var round = 0; round < 60; round++)
            {
                var before = value;
                value = CoordinatePass(f, x, value, low, high);
                value = GradientAscent(f, x, value, low, high, 50);
                if (value - before < 1e-11)
                {
                    break;
                }
            }

            if (value > bestValue)
            {
                (best, bestValue) = (x, value);
            }
        }

        return best!;
    }

    private static double CoordinatePass(Func<double[], double> f, double[] x, double value, double low, double high)
    {
        const int grid = 41;
        for (var i = 0; i < x.Length; i++)
        {
            var keep = x[i];
            var bestT = keep;
            var bestV = value;
            for (var g = 0; g < grid; g++)
            {
                x[i] = low + ((high - low) * g / (grid - 1));
                var v = f(x);
                if (v > bestV)
                {
                    (bestT, bestV) = (x[i], v);
                }
            }

            // Golden section on the bracket around the best grid point.
            var step = (high - low) / (grid - 1);
            var a = Math.Max(low, bestT - step);
            var b = Math.Min(high, bestT + step);
            var phi = (Math.Sqrt(5) - 1) / 2;
            for (var iteration = 0; iteration < 40; iteration++)
            {
                var c = b - (phi * (b - a));
                var e = a + (phi * (b - a));
                x[i] = c;
                var fc = f(x);
                x[i] = e;
                var fe = f(x);
                if (fc > fe)
                {
                    b = e;
                }
                else
                {
                    a = c;
                }
            }

            x[i] = (a + b) / 2;
            var refined = f(x);
            if (refined > bestV)
            {
                (bestT, bestV) = (x[i], refined);
            }

            x[i] = bestT;
            value = bestV;
        }

        return value;
    }

    private static double GradientAscent(Func<double[], double> f, double[] x, double value, double low, double high, int iterations)
    {
        var h = 1e-6 * (high - low);
        var gradient = new double[x.Length];
        var step = 0.1 * (high - low);
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            double norm = 0;
            for (var i = 0; i < x.Length; i++)
            {
                var keep = x[i];
                x[i] = Math.Min(high, keep + h);
                var up = f(x);
                x[i] = Math.Max(low, keep - h);
                var down = f(x);
                x[i] = keep;
                gradient[i] = (up - down) / (Math.Min(high, keep + h) - Math.Max(low, keep - h));
                norm += gradient[i] * gradient[i];
            }

            norm = Math.Sqrt(norm);
            if (norm < 1e-12)
            {
                return value;
            }

            var moved = false;
            while (step > 1e-10 * (high - low))
            {
                var trial = new double[x.Length];
                for (var i = 0; i < x.Length; i++)
                {
                    trial[i] = Math.Clamp(x[i] + (step * gradient[i] / norm), low, high);
                }

                var v = f(trial);
                if (v > value)
                {
                    Array.Copy(trial, x, x.Length);
                    value = v;
                    step *= 1.5;
                    moved = true;
                    break;
                }

                step *= 0.5;
            }

            if (!moved)
            {
                return value;
            }
        }

        return value;
    }
}
