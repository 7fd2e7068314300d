using Seamless.Evaluation.Prompts;

namespace Seamless.Evaluation.Bench;

/// <summary>Everything <c>seamless bench</c> measured, with what it was measured with.</summary>
public sealed record BenchResult(string Backend, string Tagger, string Catalog, PromptProtocol Protocol, IReadOnlyList<string> CategoryOrder, IReadOnlyList<BenchModelResult> Models);
