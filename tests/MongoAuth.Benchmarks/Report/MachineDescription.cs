using System.Globalization;
using System.Runtime.InteropServices;

namespace MongoAuth.Benchmarks.Report;

/// <summary>What the numbers were measured on, read from the runtime and (on Linux) /proc.</summary>
/// <param name="Cores">Logical processors this process may use.</param>
/// <param name="Memory">Physical memory.</param>
/// <param name="Cpu">CPU model name.</param>
/// <param name="OperatingSystem">Distribution and kernel.</param>
/// <param name="Runtime">The .NET runtime.</param>
/// <param name="LoadAverage">1/5/15-minute load averages when the run started (other work on the machine).</param>
internal sealed record MachineDescription(int Cores, string Memory, string Cpu, string OperatingSystem, string Runtime, string LoadAverage)
{
    /// <summary>Describes this machine now.</summary>
    public static MachineDescription Current()
    {
        var memoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return new MachineDescription(
            Environment.ProcessorCount,
            string.Create(CultureInfo.InvariantCulture, $"{memoryBytes / (1024.0 * 1024 * 1024):0.0} GiB"),
            ProcValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
            ReadFirstLine("/proc/sys/kernel/osrelease") is { } kernel
                ? $"{RuntimeInformation.OSDescription}, kernel {kernel}"
                : RuntimeInformation.OSDescription,
            $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})",
            ReadFirstLine("/proc/loadavg") is { } load ? string.Join(' ', load.Split(' ').Take(3)) : "unknown");
    }

    private static string? ProcValue(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            var at = line.IndexOf(':', StringComparison.Ordinal);
            if (at > 0 && line[..at].Trim() == key)
            {
                return line[(at + 1)..].Trim();
            }
        }

        return null;
    }

    private static string? ReadFirstLine(string path) => File.Exists(path) ? File.ReadLines(path).FirstOrDefault() : null;
}
