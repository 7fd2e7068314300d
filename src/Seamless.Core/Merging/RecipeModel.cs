namespace Seamless.Merging;

/// <summary>One model of a recipe: its path, its block weights and, for add-difference, the model subtracted from it.</summary>
public sealed record RecipeModel(string Path, WeightSpec Weights, string? Subtract = null);
