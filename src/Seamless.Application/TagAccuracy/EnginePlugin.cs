using System.Reflection;
using System.Runtime.Loader;
using Seamless.Errors;
using Seamless.Evaluation.Generation;

namespace Seamless.Application.TagAccuracy;

/// <summary>
/// Loads the embedded engine (<c>Seamless.Backends.Embedded</c> with TorchSharp and libtorch) from the CLI's
/// <c>engine/</c> folder, or <c>SEAMLESS_ENGINE_DIR</c>, into its own load context: assemblies the CLI already has
/// (Seamless.Core, Seamless.Evaluation, …) are shared so the generator is an <see cref="IImageGenerator"/> here, the
/// rest (TorchSharp and its natives) resolve from the plug-in's folder. Only runs that use the engine pay for it.
/// </summary>
public static class EnginePlugin
{
    public const string EnvironmentVariable = "SEAMLESS_ENGINE_DIR";
    private const string AssemblyFile = "Seamless.Backends.Embedded.dll";
    private static readonly Lock Gate = new();
    private static Assembly? _loaded;

    /// <summary>The folder the engine is loaded from, or null when it is not there.</summary>
    public static string? Folder()
    {
        var folder = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env ? env : Path.Combine(AppContext.BaseDirectory, "engine");
        return File.Exists(Path.Combine(folder, AssemblyFile)) ? Path.GetFullPath(folder) : null;
    }

    /// <summary>Problems with the embedded engine's options (vocabulary path, clip skip, threads, device), for every command that takes them.</summary>
    public static IEnumerable<string> OptionProblems(string? vocab, int clipSkip, int? threads, string? device = null)
    {
        if (!Engine.Compute.DeviceSpec.TryParse(device, out _, out var deviceProblem))
        {
            yield return "--device: " + deviceProblem;
        }

        if (vocab is not null && vocab != Engine.Text.VocabularyLocator.ByteLevel && !Directory.Exists(vocab) && !File.Exists(vocab))
        {
            yield return $"--vocab '{vocab}' does not exist";
        }

        if (clipSkip is < 1 or > 12)
        {
            yield return "--clip-skip must be 1 (CLIP's last layer) … 12";
        }

        if (threads is < 1)
        {
            yield return "--threads must be ≥ 1";
        }
    }

    /// <summary>Creates the embedded generator (vocabulary path or "byte-level", clip skip, threads, device).</summary>
    public static IImageGenerator Create(string? vocabulary, int clipSkip, int? threads, string? device)
    {
        var entry = Load().GetType("Seamless.Backends.Embedded.EmbeddedEntryPoint", throwOnError: true)!;
        var create = entry.GetMethod("Create", BindingFlags.Public | BindingFlags.Static)!;
        try
        {
            return (IImageGenerator)create.Invoke(null, [vocabulary, clipSkip, threads, device])!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }

    private static Assembly Load()
    {
        lock (Gate)
        {
            if (_loaded is not null)
            {
                return _loaded;
            }

            var folder = Folder() ?? throw new RecipeException(
                Path.Combine(AppContext.BaseDirectory, "engine"),
                $"the embedded engine is not here; build the CLI from the repository (dotnet build src/Seamless.Cli builds it into engine/) or set {EnvironmentVariable} to a folder holding {AssemblyFile}");
            var context = new PluginContext(Path.Combine(folder, AssemblyFile));
            _loaded = context.LoadFromAssemblyPath(Path.Combine(folder, AssemblyFile));
            return _loaded;
        }
    }

    private sealed class PluginContext(string mainAssembly) : AssemblyLoadContext("seamless-engine")
    {
        private readonly AssemblyDependencyResolver _resolver = new(mainAssembly);

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // Shared with the host: anything the default context can load (the CLI's own assemblies and the framework).
            try
            {
                return Default.LoadFromAssemblyName(assemblyName);
            }
            catch (FileNotFoundException)
            {
            }

            return _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }
}
