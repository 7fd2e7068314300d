namespace Seamless.Evaluation;

/// <summary>How far one candidate's evaluation is: prompts tagged, images drawn (or found in the cache), running accuracy.</summary>
public sealed record EvaluationProgress(string Model, int PromptsDone, int PromptsTotal, int ImagesDrawn, int ImagesCached, double RunningAccuracy);
