namespace Seamless.Backends.Web;

/// <summary>
/// Puts a candidate where a web server looks for checkpoints, under a new name per candidate (servers cache
/// models by name), as a hard link when the folder is on the same file system and as a copy (temp + rename)
/// otherwise. The source file is never touched.
/// </summary>
public static class CandidateFiles
{
    public const string Subfolder = "seamless";

    /// <summary>The file name a candidate gets: its label and the first 12 hex digits of its sha256.</summary>
    public static string FileName(Seamless.Evaluation.Generation.CandidateModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var label = new string(model.Label.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        return $"{label}-{model.Sha256[..12]}.safetensors";
    }

    public static string Place(Seamless.Evaluation.Generation.CandidateModel model, string modelsDir)
    {
        ArgumentNullException.ThrowIfNull(model);
        var folder = Path.Combine(modelsDir, Subfolder);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, FileName(model));
        if (File.Exists(target))
        {
            return target;
        }

        var source = model.RequireFile("a web backend");
        var temp = target + $".{Environment.ProcessId}.tmp";
        if (!TryHardLink(source, temp))
        {
            File.Copy(source, temp, overwrite: true);
        }

        File.Move(temp, target, overwrite: true);
        return target;
    }

    public static void Remove(string placed)
    {
        try
        {
            File.Delete(placed);
        }
        catch (IOException)
        {
            // A server may still hold it open (Windows); it is named uniquely, so a leftover harms nothing.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static bool TryHardLink(string source, string link)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        return Link(source, link) == 0;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    private static extern int Link([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string oldPath, [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string newPath);
}
