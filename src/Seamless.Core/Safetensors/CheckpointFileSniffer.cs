using Seamless.Errors;

namespace Seamless.Safetensors;

/// <summary>
/// Recognises the files people mistake for safetensors checkpoints, so the error says what they have and what to
/// do, instead of "invalid header". Pickles are recognised by their magic bytes and never unpickled: loading one
/// can run arbitrary code.
/// </summary>
public static class CheckpointFileSniffer
{
    private const string ConvertHint =
        "Seamless never unpickles files (loading a pickle can run code); convert it to .safetensors first, " +
        "e.g. with the A1111/Forge checkpoint merger (save as safetensors) or a trusted conversion script";

    /// <summary>Throws a named error when <paramref name="path"/> is missing, a directory or a pickle checkpoint.</summary>
    public static void EnsureSafetensorsCandidate(string path)
    {
        if (Directory.Exists(path))
        {
            var hint = File.Exists(Path.Combine(path, "model_index.json"))
                ? "it is a diffusers folder; Seamless reads single-file checkpoints in the LDM/A1111 layout"
                : "it is a directory; give the path of a .safetensors file";
            throw new SafetensorsException(path, SafetensorsError.NotAFile, hint);
        }

        if (!File.Exists(path))
        {
            throw new SafetensorsException(path, SafetensorsError.NotFound, "file not found");
        }

        Span<byte> magic = stackalloc byte[4];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete))
        {
            read = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        }

        if (read >= 4 && magic[0] == (byte)'P' && magic[1] == (byte)'K' && magic[2] == 3 && magic[3] == 4)
        {
            throw new SafetensorsException(path, SafetensorsError.PickleCheckpoint, "is a PyTorch zip checkpoint (.ckpt/.pt). " + ConvertHint);
        }

        // Pickle protocol 2+ starts with PROTO (0x80) and the protocol number; torch's legacy format starts with a pickled magic number.
        if (read >= 2 && magic[0] == 0x80 && magic[1] is >= 2 and <= 5)
        {
            throw new SafetensorsException(path, SafetensorsError.PickleCheckpoint, "is a pickle checkpoint (.ckpt/.pt/.bin). " + ConvertHint);
        }
    }
}
