using Atelier.Platform;

namespace Atelier.Core.Tests.Platform;

public class NativeHeapTests
{
    [Fact]
    public void Glibc_accepts_the_settings_on_linux()
    {
        // glibc's mallopt returns 1 for each setting it takes; a rejected value (or a C library without mallopt)
        // would make Configure false and the step times of docs/platform.md out of reach.
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(NativeHeap.Variable) == "default") return;
        Assert.True(NativeHeap.Configure());
    }
}
