namespace Seamless.Contact;

/// <summary>Parameters of the rank-r approximation. Oversampling and two power iterations follow Halko et al.'s advice for slowly decaying spectra.</summary>
public sealed record LowRankOptions(int Rank, LowRankMethod Method = LowRankMethod.Randomized, int Oversample = 8, int PowerIterations = 2, ulong Seed = 0);
