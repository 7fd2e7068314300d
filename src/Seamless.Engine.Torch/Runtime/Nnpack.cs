using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Seamless.Engine.Torch.Runtime;

/// <summary>
/// Turns libtorch's NNPACK convolution path off, as <c>torch.backends.nnpack.set_flags(False)</c> does in Python.
/// Why: ATen asks whether NNPACK is available before every CPU convolution, and where NNPACK cannot start (CPUs it
/// does not recognise, many VMs among them) each question logs "Could not initialize NNPACK! Reason: Unsupported
/// hardware." — 81 190 lines in one quickstart, burying the tool's own output. With the user switch off, ATen's
/// <c>use_nnpack</c> returns before asking (Convolution.cpp checks <c>userEnabledNNPACK()</c> first). Nothing is lost:
/// ATen only routes CPU convolutions with a batch of 16 or more to NNPACK, and the engine's batches are smaller.
/// TorchSharp does not expose the switch, so it is called through libtorch_cpu's exported C++ symbols (Itanium ABI:
/// the context is the first argument); where those symbols are missing (another libtorch build) this does nothing.
/// </summary>
public static class Nnpack
{
    private static int _done;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GlobalContext();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetUserEnabled(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    [return: MarshalAs(UnmanagedType.U1)]
    private delegate bool UserEnabled(IntPtr context);

    /// <summary>Switches NNPACK off once per process; returns whether libtorch now reports it off.</summary>
    public static bool Disable()
    {
        // Loads libtorch (TorchSharp's own loader, with its search paths) before its symbols are looked up.
        _ = torch.get_num_threads();
        if (!TryOpen(out var library))
        {
            return false;
        }

        if (!NativeLibrary.TryGetExport(library, "_ZN2at13globalContextEv", out var global)
            || !NativeLibrary.TryGetExport(library, "_ZN2at7Context20setUserEnabledNNPACKEb", out var set)
            || !NativeLibrary.TryGetExport(library, "_ZNK2at7Context17userEnabledNNPACKEv", out var get))
        {
            return false;
        }

        var context = Marshal.GetDelegateForFunctionPointer<GlobalContext>(global)();
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            Marshal.GetDelegateForFunctionPointer<SetUserEnabled>(set)(context, false);
        }

        return !Marshal.GetDelegateForFunctionPointer<UserEnabled>(get)(context);
    }

    private static bool TryOpen(out IntPtr library)
    {
        // Already mapped by TorchSharp: dlopen of the same file returns the same handle.
        var folder = Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? AppContext.BaseDirectory;
        foreach (var candidate in new[] { Path.Combine(folder, "libtorch_cpu.so"), Path.Combine(AppContext.BaseDirectory, "libtorch_cpu.so"), "libtorch_cpu.so" })
        {
            if (NativeLibrary.TryLoad(candidate, out library))
            {
                return true;
            }
        }

        return NativeLibrary.TryLoad("libtorch_cpu.so", Assembly.GetExecutingAssembly(), DllImportSearchPath.AssemblyDirectory, out library);
    }
}
