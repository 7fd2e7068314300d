namespace Seamless.Search.Optimizers;

/// <summary>Deterministic random streams from (study seed, position), the same on every platform and run.</summary>
public static class Seeds
{
    public static Random Random(int seed, int position)
    {
        unchecked
        {
            // SplitMix64 finaliser over the pair: neighbouring positions get unrelated streams.
            var z = ((ulong)(uint)seed << 32) ^ (uint)position;
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return new Random((int)(z ^ (z >> 31)));
        }
    }
}
