namespace Seamless.Architecture;

/// <summary>Where the VAE (<c>first_stage_model.*</c>) is weighted.</summary>
public enum VaeRule
{
    /// <summary>With BASE (the text encoders' block), as supermerger does.</summary>
    Base,

    /// <summary>In a block of its own named VAE, which defaults to the BASE weight.</summary>
    Own,
}
