using System.Runtime.CompilerServices;

namespace Atelier.Cli.Tests;

/// <summary>The tests allocate as the program does (Atelier.Platform.NativeHeap), before any test runs.</summary>
internal static class NativeHeapSetup
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A test assembly: the process-wide heap settings must precede the first test.")]
    internal static void Configure() => Atelier.Platform.NativeHeap.Configure();
}
