using Atelier.Gallery;

namespace Atelier.Core.Tests.Gallery;

public class FavouritesCatalogTests
{
    private static Favourite Sample(string run, long seed, string note = "") =>
        new(0, run, "step-004000", "generator-ema.atlt:abc123", seed, seed % 2 == 0 ? 3 : null, seed % 3 == 0 ? "0:2.5" : null, "{\"truncation\":1}", DateTimeOffset.Parse("2026-11-29T12:00:00Z"), note);

    [Fact]
    public void AddsListsFiltersAndDeletes()
    {
        using var temp = new TempFolder();
        using var catalog = FavouritesCatalog.Open(temp.File("catalog.db"));
        Assert.Equal("wal", catalog.JournalMode);
        var a = catalog.Add(Sample("00001-dcgan-kandinsky32", 7, "the blue one"));
        var b = catalog.Add(Sample("00002-dcgan-fashion-mnist28", 12));
        var c = catalog.Add(Sample("00001-dcgan-kandinsky32", 9));
        Assert.Equal([c, b, a], catalog.List().Select(f => f.Id));
        var first = catalog.List("00001-dcgan-kandinsky32");
        Assert.Equal([c, a], first.Select(f => f.Id));
        var blue = first.Single(f => f.Id == a);
        Assert.Equal(Sample("00001-dcgan-kandinsky32", 7, "the blue one") with { Id = a }, blue);
        Assert.True(catalog.Delete(b));
        Assert.False(catalog.Delete(b));
        Assert.Equal([c, a], catalog.List().Select(f => f.Id));
    }

    [Fact]
    public void CommittedFavouritesSurviveAProcessThatDiesWithoutClosing()
    {
        using var temp = new TempFolder();
        var catalog = FavouritesCatalog.Open(temp.File("catalog.db"));
        for (int i = 0; i < 5; i++) catalog.Add(Sample("run", i));
        // What a kill -9 leaves on disk: the files as they are, the connection never closed or checkpointed.
        Directory.CreateDirectory(temp.File("after-crash"));
        foreach (var file in Directory.GetFiles(temp.Path, "catalog.db*"))
            File.Copy(file, Path.Combine(temp.File("after-crash"), Path.GetFileName(file)));
        Assert.True(File.Exists(temp.File("after-crash/catalog.db-wal")), "WAL mode keeps committed pages in the -wal file");
        using (var recovered = FavouritesCatalog.Open(temp.File("after-crash/catalog.db")))
            Assert.Equal(5, recovered.List().Count);
        catalog.Dispose();
    }

    [Fact]
    public void KeepsTheRenderedImageWithTheFavourite()
    {
        using var temp = new TempFolder();
        using var catalog = FavouritesCatalog.Open(temp.File("catalog.db"));
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 255];
        var withImage = catalog.Add(Sample("run", 1), png);
        var without = catalog.Add(Sample("run", 2));
        Assert.Equal(png, catalog.Image(withImage));
        Assert.Null(catalog.Image(without));
        Assert.Null(catalog.Image(999));
        Assert.Equal(2, catalog.Get(without)!.Seed);
        Assert.Null(catalog.Get(999));
    }
}
