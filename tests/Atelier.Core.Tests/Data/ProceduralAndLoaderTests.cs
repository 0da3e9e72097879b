using Atelier.Data;
using Atelier.Data.Procedural;

namespace Atelier.Core.Tests.Data;

public sealed class ProceduralAndLoaderTests
{
    [Theory]
    [InlineData("mondrian")]
    [InlineData("kandinsky")]
    [InlineData("rothko")]
    public void Same_seed_and_index_paint_the_same_bytes(string style)
    {
        var a = new ProceduralSource(ProceduralStyle.Find(style)!, 32, 3, seed: 5);
        var b = new ProceduralSource(ProceduralStyle.Find(style)!, 32, 3, seed: 5);
        var other = new ProceduralSource(ProceduralStyle.Find(style)!, 32, 3, seed: 6);
        var x = new byte[3 * 32 * 32];
        var y = new byte[3 * 32 * 32];
        var z = new byte[3 * 32 * 32];
        var w = new byte[3 * 32 * 32];
        a.Read(17, x);
        b.Read(17, y);
        a.Read(18, z);
        other.Read(17, w);
        Assert.Equal(x, y);
        Assert.NotEqual(x, z);
        Assert.NotEqual(x, w);
    }

    [Fact]
    public void Styles_are_diverse_within_and_distinct_between()
    {
        // Mean colour per image: images of one style differ from each other, and style means differ.
        double[] Means(string style)
        {
            var source = new ProceduralSource(ProceduralStyle.Find(style)!, 24, 3);
            var bytes = new byte[3 * 24 * 24];
            return Enumerable.Range(0, 32).Select(i =>
            {
                source.Read(i, bytes);
                return bytes.Average(v => (double)v);
            }).ToArray();
        }
        var all = ProceduralStyle.All.Select(s => Means(s.Name)).ToList();
        foreach (var means in all)
        {
            var sd = Math.Sqrt(means.Select(m => (m - means.Average()) * (m - means.Average())).Average());
            Assert.True(sd > 3, $"images of a style should vary (sd {sd:F1})");
        }
        Assert.True(Math.Abs(all[0].Average() - all[2].Average()) > 20, "mondrian is bright, rothko is dark");
    }

    [Fact]
    public void Batches_are_a_pure_function_of_seed_and_index()
    {
        var pixels = Enumerable.Range(0, 10 * 4).Select(i => (byte)(i * 6)).ToArray();
        var set = new ImageSet("toy", pixels, 10, 1, 2, Enumerable.Range(0, 10).ToArray(), null, "toy");
        using var a = new BatchLoader(set, 3, seed: 1, flip: false);
        using var b = new BatchLoader(set, 3, seed: 1, flip: false, firstBatch: 4);
        var fromStart = Enumerable.Range(0, 6).Select(_ => a.Next()).ToList();
        Assert.Equal(fromStart[4].Pixels, b.Next().Pixels);
        Assert.Equal(fromStart[5].Labels, b.Next().Labels);
        Assert.Equal(3, a.BatchesPerEpoch);
        // One epoch = three batches of distinct images (the tenth is dropped).
        var epoch = fromStart.Take(3).SelectMany(x => x.Labels).ToList();
        Assert.Equal(9, epoch.Distinct().Count());
        Assert.NotEqual(fromStart.Take(3).SelectMany(x => x.Labels), fromStart.Skip(3).Take(3).SelectMany(x => x.Labels));
        // Pixels follow their labels: image i holds bytes 24i..24i+3.
        var first = fromStart[0];
        for (int i = 0; i < 3; i++)
            Assert.Equal(Atelier.Imaging.ImageCodec.ToUnit((byte)(first.Labels[i] * 24)), first.Pixels[i * 4]);
    }

    [Fact]
    public void Flip_mirrors_rows()
    {
        var pixels = new byte[] { 0, 100, 200, 0, 100, 200, 0, 100, 200 };
        var set = new ImageSet("row", pixels, 1, 1, 3, null, null, "row");
        using var loader = new BatchLoader(set, 1, seed: 3, flip: true);
        var flipped = Enumerable.Range(0, 16).Select(i => loader.Build(i).Pixels[0]).ToList();
        Assert.Contains(Atelier.Imaging.ImageCodec.ToUnit(0), flipped);
        Assert.Contains(Atelier.Imaging.ImageCodec.ToUnit(200), flipped);
    }

    /// <summary>Reads each image slowly, as a network drive or a huge file may.</summary>
    private sealed class SlowSource : IImageSource
    {
        public string Name => "slow";
        public int Count => 8;
        public bool IsUnlimited => false;
        public int Channels => 1;
        public int Resolution => 4;
        public IReadOnlyList<string>? Classes => null;
        public string Fingerprint => "slow";
        public IReadOnlyList<SkippedFile> Skipped => [];

        public void Read(long index, Span<byte> destination)
        {
            Thread.Sleep(300);
            destination.Fill((byte)index);
        }

        public int Label(long index) => -1;
    }

    [Fact]
    public void A_loader_disposed_while_its_thread_still_reads_ends_quietly()
    {
        // Before: Dispose gave up waiting, disposed the queue under the thread, and the thread's ObjectDisposedException
        // escaped it and killed the process (seen as a crashed test host under load).
        var loader = new BatchLoader(new SlowSource(), batchSize: 4, seed: 0, flip: false) { JoinTimeout = TimeSpan.FromMilliseconds(20) };
        Thread.Sleep(50);
        loader.Dispose();
        Thread.Sleep(2500); // the thread finishes its batch, sees the cancellation and ends
        Assert.True(true, "the process is still alive");
    }
}
