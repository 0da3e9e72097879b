using Atelier.Platform;

namespace Atelier.Models;

/// <summary>The registry of model families: the built-in ones, and any a host adds with <see cref="Register"/>.</summary>
public static class ModelFamilies
{
    private static readonly Lock Gate = new();
    private static IReadOnlyList<IModelFamily> _all = [new DcganFamily(), new ClassicFamily(), new Fastgan.FastganFamily(), new Autoencoders.AutoencoderFamily(variational: false), new Autoencoders.AutoencoderFamily(variational: true)];

    public static IReadOnlyList<IModelFamily> All
    {
        get
        {
            lock (Gate) return _all;
        }
    }

    public static IReadOnlyList<string> Names => All.Select(f => f.Name).ToList();

    /// <summary>Adds a family from outside Core (an extension, a test). Its name must be new.</summary>
    public static void Register(IModelFamily family)
    {
        lock (Gate)
        {
            if (_all.Any(f => f.Name == family.Name))
            {
                if (_all.Any(f => ReferenceEquals(f, family) || f.GetType() == family.GetType())) return;
                throw new ArgumentException($"a model family named '{family.Name}' is already registered");
            }
            _all = [.. _all, family];
        }
    }

    public static IModelFamily Find(string name) =>
        All.FirstOrDefault(f => f.Name == name)
        ?? throw new OptionException($"--model: unknown model '{name}'; choose one of {string.Join(", ", Names)}.");
}
