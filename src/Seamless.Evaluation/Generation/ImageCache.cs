using System.Security.Cryptography;
using System.Text;
using Seamless.Evaluation.Images;

namespace Seamless.Evaluation.Generation;

/// <summary>
/// Generated images on disk keyed by (model sha256, backend, prompt, negative, seed, settings), so a re-run or a
/// re-queued trial does not draw what already exists. Writes are atomic (temp file and rename).
/// </summary>
public sealed class ImageCache(string folder, IImageCodec codec)
{
    public string Folder { get; } = folder;

    public bool TryGet(CandidateModel model, string backend, GenerationRequest request, long seed, out GeneratedImage image)
    {
        var path = PathOf(model, backend, request, seed);
        if (File.Exists(path))
        {
            image = GeneratedImage.FromPng(seed, File.ReadAllBytes(path));
            return true;
        }

        image = null!;
        return false;
    }

    public void Put(CandidateModel model, string backend, GenerationRequest request, GeneratedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Seamless.IO.AtomicFile.WriteAllBytes(PathOf(model, backend, request, image.Seed), image.Encode(codec));
    }

    private string PathOf(CandidateModel model, string backend, GenerationRequest request, long seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(request);
        var key = string.Join('\n', model.Sha256, backend, request.Prompt, request.Negative, seed.ToString(System.Globalization.CultureInfo.InvariantCulture), request.SettingsKey);

        // Another VAE draws other pixels; without one the key is what it always was, so existing caches stay valid.
        if (model.Vae is { } vae)
        {
            key += "\nvae=" + vae;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return Path.Combine(Folder, hash[..2], hash + ".png");
    }
}
