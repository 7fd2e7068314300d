namespace Seamless.Fabrication;

/// <summary>
/// The SD1.x DDPM buffers (LDM <c>register_schedule</c>: scaled-linear β from 0.00085 to 0.012 over 1000 steps,
/// v_posterior = 0). Every SD1.x file holds the same values, so fabricated files hold them too.
/// </summary>
internal static class DdpmSchedule
{
    private static readonly Lazy<Dictionary<string, float[]>> Buffers = new(Build);

    public static bool TryGet(string key, int count, out float[] values)
    {
        if (Buffers.Value.TryGetValue(key, out values!) && values.Length == count)
        {
            return true;
        }

        values = [];
        return false;
    }

    private static Dictionary<string, float[]> Build()
    {
        const int n = 1000;
        double start = Math.Sqrt(0.00085), end = Math.Sqrt(0.012);
        var betas = new double[n];
        var cumprod = new double[n];
        var prev = new double[n];
        double running = 1;
        for (var i = 0; i < n; i++)
        {
            var s = start + ((end - start) * i / (n - 1));
            betas[i] = s * s;
            prev[i] = running;
            running *= 1 - betas[i];
            cumprod[i] = running;
        }

        float[] Map(Func<int, double> f) => Enumerable.Range(0, n).Select(i => (float)f(i)).ToArray();
        double Variance(int i) => betas[i] * (1 - prev[i]) / (1 - cumprod[i]);
        return new Dictionary<string, float[]>(StringComparer.Ordinal)
        {
            ["betas"] = Map(i => betas[i]),
            ["alphas_cumprod"] = Map(i => cumprod[i]),
            ["alphas_cumprod_prev"] = Map(i => prev[i]),
            ["sqrt_alphas_cumprod"] = Map(i => Math.Sqrt(cumprod[i])),
            ["sqrt_one_minus_alphas_cumprod"] = Map(i => Math.Sqrt(1 - cumprod[i])),
            ["log_one_minus_alphas_cumprod"] = Map(i => Math.Log(1 - cumprod[i])),
            ["sqrt_recip_alphas_cumprod"] = Map(i => Math.Sqrt(1 / cumprod[i])),
            ["sqrt_recipm1_alphas_cumprod"] = Map(i => Math.Sqrt((1 / cumprod[i]) - 1)),
            ["posterior_variance"] = Map(Variance),
            ["posterior_log_variance_clipped"] = Map(i => Math.Log(Math.Max(Variance(i), 1e-20))),
            ["posterior_mean_coef1"] = Map(i => betas[i] * Math.Sqrt(prev[i]) / (1 - cumprod[i])),
            ["posterior_mean_coef2"] = Map(i => (1 - prev[i]) * Math.Sqrt(1 - betas[i]) / (1 - cumprod[i])),
        };
    }
}
