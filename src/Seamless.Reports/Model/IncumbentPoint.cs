namespace Seamless.Reports.Model;

/// <summary>
/// After the first <see cref="Completed"/> finished trials (the last of them numbered <see cref="Trial"/>): the trial
/// the model then recommended (<see cref="Incumbent"/>) with its posterior mean and 95 % interval of the true score.
/// </summary>
public sealed record IncumbentPoint(int Trial, int Completed, int Incumbent, double Mean, double Low, double High);
