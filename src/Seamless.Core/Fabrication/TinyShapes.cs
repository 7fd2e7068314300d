namespace Seamless.Fabrication;

/// <summary>
/// Shrinks full shapes to tiny ones while keeping every model internally consistent: each component divides its
/// widths by one factor (UNet 10, text encoders 16, VAE 4), so channel counts stay multiples of 32 (GroupNorm),
/// and the UNet's cross-attention and size-conditioning inputs (768, 1024, 2048, 2816) shrink by the text
/// encoders' 16 to keep matching them. Vocabulary (49408), positions (77) and small dims (kernels, latent
/// channels) are kept.
/// </summary>
public static class TinyShapes
{
    private static readonly (string Prefix, int Divisor)[] Components =
    [
        ("model.diffusion_model.", 10),
        ("cond_stage_model.", 16),
        ("conditioner.embedders.", 16),
        ("first_stage_model.", 4),
    ];

    private static readonly Dictionary<long, long> UnetTextWidths = new() { [768] = 48, [1024] = 64, [2048] = 128, [2816] = 176 };

    public static IReadOnlyList<long> Shrink(string key, IReadOnlyList<long> shape)
    {
        var divisor = Components.FirstOrDefault(c => key.StartsWith(c.Prefix, StringComparison.Ordinal)).Divisor;
        if (divisor == 0)
        {
            return shape;
        }

        var unet = divisor == 10;
        return shape.Select(d =>
        {
            if (unet && UnetTextWidths.TryGetValue(d, out var text))
            {
                return text;
            }

            return d >= 32 && d % divisor == 0 && d != 49408 ? d / divisor : d;
        }).ToList();
    }
}
