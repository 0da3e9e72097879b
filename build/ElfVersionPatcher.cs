// Marks selected symbol-version requirements of an ELF64 shared object as weak
// (VER_FLG_WEAK in .gnu.version_r) when the system's libstdc++ does not define them.
// Compiled twice: as an inline MSBuild task (build/Atelier.Build.targets) and into the tests.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace Atelier.Build
{
    /// <summary>What the patcher did to one file.</summary>
    public sealed class ElfPatchResult
    {
        public List<string> MarkedWeak { get; } = new List<string>();
        public List<string> AlreadyWeak { get; } = new List<string>();
        public List<string> MissingNotAllowed { get; } = new List<string>();
        public bool Changed => MarkedWeak.Count > 0;
    }

    /// <summary>One version requirement read from .gnu.version_r.</summary>
    public sealed class ElfVersionNeed
    {
        public string File = "";
        public string Version = "";
        public ushort Flags;
        public long FlagsOffset;
        public bool IsWeak => (Flags & ElfVersionPatcher.VerFlgWeak) != 0;
    }

    public static class ElfVersionPatcher
    {
        public const ushort VerFlgWeak = 0x2;
        const uint ShtGnuVerdef = 0x6ffffffd;
        const uint ShtGnuVerneed = 0x6ffffffe;

        static readonly string[] LibraryDirectories =
        {
            "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
        };

        /// <summary>The system's libstdc++.so.6, or null when none is found (not Linux).</summary>
        public static string? FindSystemLibStdCxx()
        {
            foreach (var dir in LibraryDirectories)
            {
                var path = Path.Combine(dir, "libstdc++.so.6");
                if (File.Exists(path)) return path;
            }
            return null;
        }

        /// <summary>Version names a shared object defines (.gnu.version_d).</summary>
        public static HashSet<string> ReadDefinedVersions(byte[] elf)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (offset, size, link, info) in Sections(elf, ShtGnuVerdef))
            {
                var strtab = SectionOffset(elf, link);
                long vd = offset;
                for (int i = 0; i < info && vd < offset + size; i++)
                {
                    ushort count = U16(elf, vd + 6);
                    uint aux = U32(elf, vd + 12);
                    uint next = U32(elf, vd + 16);
                    long va = vd + aux;
                    for (int j = 0; j < count; j++)
                    {
                        names.Add(CString(elf, strtab + U32(elf, va)));
                        uint vnext = U32(elf, va + 4);
                        if (vnext == 0) break;
                        va += vnext;
                    }
                    if (next == 0) break;
                    vd += next;
                }
            }
            return names;
        }

        /// <summary>Every version requirement (.gnu.version_r) of a shared object.</summary>
        public static List<ElfVersionNeed> ReadVersionNeeds(byte[] elf)
        {
            var needs = new List<ElfVersionNeed>();
            foreach (var (offset, size, link, info) in Sections(elf, ShtGnuVerneed))
            {
                var strtab = SectionOffset(elf, link);
                long vn = offset;
                for (int i = 0; i < info && vn < offset + size; i++)
                {
                    ushort count = U16(elf, vn + 2);
                    string file = CString(elf, strtab + U32(elf, vn + 4));
                    uint aux = U32(elf, vn + 8);
                    uint next = U32(elf, vn + 12);
                    long va = vn + aux;
                    for (int j = 0; j < count; j++)
                    {
                        needs.Add(new ElfVersionNeed
                        {
                            File = file,
                            Flags = U16(elf, va + 4),
                            FlagsOffset = va + 4,
                            Version = CString(elf, strtab + U32(elf, va + 8)),
                        });
                        uint vnext = U32(elf, va + 12);
                        if (vnext == 0) break;
                        va += vnext;
                    }
                    if (next == 0) break;
                    vn += next;
                }
            }
            return needs;
        }

        /// <summary>
        /// The versions to treat as defined when a file will run on machines unknown: all it needs except
        /// <paramref name="allowed"/>, so that Patch weakens exactly the allowed ones and warns of none.
        /// </summary>
        public static HashSet<string> PortableDefinitions(byte[] elf, ISet<string> allowed) =>
            new HashSet<string>(ReadVersionNeeds(elf).Select(n => n.Version).Where(v => !allowed.Contains(v)));

        /// <summary>
        /// Marks each requirement on <paramref name="library"/> that <paramref name="defined"/> lacks and
        /// <paramref name="allowed"/> names as weak. Rewrites the file in place only when something changes.
        /// </summary>
        public static ElfPatchResult Patch(string path, string library, ISet<string> defined, ISet<string> allowed)
        {
            var elf = File.ReadAllBytes(path);
            var result = new ElfPatchResult();
            foreach (var need in ReadVersionNeeds(elf))
            {
                if (need.File != library || defined.Contains(need.Version)) continue;
                if (!allowed.Contains(need.Version)) { result.MissingNotAllowed.Add(need.Version); continue; }
                if (need.IsWeak) { result.AlreadyWeak.Add(need.Version); continue; }
                ushort flags = (ushort)(need.Flags | VerFlgWeak);
                elf[need.FlagsOffset] = (byte)flags;
                elf[need.FlagsOffset + 1] = (byte)(flags >> 8);
                result.MarkedWeak.Add(need.Version);
            }
            if (result.Changed)
            {
                var temp = path + ".weak-tmp";
                using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
                {
                    stream.Write(elf, 0, elf.Length);
                    stream.Flush(true);
                }
                File.Replace(temp, path, null); // rename over the original: atomic on POSIX
            }
            return result;
        }

        static IEnumerable<(long Offset, long Size, uint Link, uint Info)> Sections(byte[] elf, uint type)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException("only little-endian ELF64 is supported");
            long shoff = (long)U64(elf, 0x28);
            ushort shentsize = U16(elf, 0x3A);
            ushort shnum = U16(elf, 0x3C);
            var found = new List<(long, long, uint, uint)>();
            for (int i = 0; i < shnum; i++)
            {
                long sh = shoff + (long)i * shentsize;
                if (U32(elf, sh + 4) != type) continue;
                found.Add(((long)U64(elf, sh + 24), (long)U64(elf, sh + 32), U32(elf, sh + 40), U32(elf, sh + 44)));
            }
            return found;
        }

        static long SectionOffset(byte[] elf, uint index)
        {
            long shoff = (long)U64(elf, 0x28);
            ushort shentsize = U16(elf, 0x3A);
            return (long)U64(elf, shoff + index * shentsize + 24);
        }

        static ushort U16(byte[] b, long o) => (ushort)(b[o] | b[o + 1] << 8);
        static uint U32(byte[] b, long o) => (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);
        static ulong U64(byte[] b, long o) => U32(b, o) | (ulong)U32(b, o + 4) << 32;

        static string CString(byte[] b, long o)
        {
            long end = o;
            while (end < b.Length && b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
        }
    }

#if !ATELIER_NO_MSBUILD_TASK
    /// <summary>MSBuild task: weakens the allowed missing version requirements of the given files.</summary>
    public sealed class WeakenElfVersions : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <summary>Semicolon-separated version names that are known to be safe to weaken.</summary>
        public string AllowedVersions { get; set; } = "GLIBCXX_3.4.32";

        /// <summary>
        /// For files that leave this machine (publish, pack): weaken the allowed versions whatever this machine's
        /// libstdc++ defines, since the machine that runs them may lack them (a weak requirement on a version that is
        /// there is used as a strong one).
        /// </summary>
        public bool Portable { get; set; }

        public override bool Execute()
        {
            var system = ElfVersionPatcher.FindSystemLibStdCxx();
            if (system == null && !Portable)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "Atelier: no system libstdc++.so.6; nothing to patch.");
                return true;
            }
            var allowed = new HashSet<string>(AllowedVersions.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
            var systemDefined = system == null ? null : ElfVersionPatcher.ReadDefinedVersions(File.ReadAllBytes(system));
            foreach (var item in Files)
            {
                var path = item.ItemSpec;
                if (!File.Exists(path)) continue;
                // Portable: every version the file needs counts as present except the allowed ones, which are weakened.
                var defined = Portable ? ElfVersionPatcher.PortableDefinitions(File.ReadAllBytes(path), allowed) : systemDefined!;
                var result = ElfVersionPatcher.Patch(path, "libstdc++.so.6", defined, allowed);
                if (result.Changed)
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, Portable
                        ? $"Atelier: marked {string.Join(", ", result.MarkedWeak)} weak in {path} for machines whose libstdc++ lacks it (docs/platform.md)."
                        : $"Atelier: {system} lacks {string.Join(", ", result.MarkedWeak)}; marked weak in {path} (docs/platform.md).");
                foreach (var missing in result.MissingNotAllowed)
                    Log.LogWarning($"Atelier: {path} needs {missing}, which {system} lacks and which is not known to be safe to weaken; loading may fail.");
            }
            return true;
        }
    }
#endif
}
