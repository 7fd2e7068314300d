namespace Seamless.Architecture;

/// <summary>Where the UNet's final norm and convolution (<c>model.diffusion_model.out.*</c>) are weighted.</summary>
public enum OutRule
{
    /// <summary>With the last OUT block, as supermerger does.</summary>
    LastOut,

    /// <summary>With BASE, as the original search did (it took them from the base model unchanged).</summary>
    Base,
}
