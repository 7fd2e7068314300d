using Seamless.Safetensors;

namespace Seamless.Contact;

/// <summary>A contact merge: A plus the rank-r part of B − A, tensor by tensor.</summary>
public sealed record ContactRequest(string ModelA, string ModelB, LowRankOptions LowRank, DType OutputDType = DType.F16);
