using System.Buffers.Binary;
using System.Text.Json;

namespace Atelier.Cli.Tests;

/// <summary>TensorBoard's files, read back as TensorBoard reads them: TFRecord framing with masked CRC-32C, then Event protos.</summary>
public sealed class TensorBoardTests
{
    /// <summary>CRC-32C (Castagnoli), bit by bit: the check value of "123456789" is 0xE3069283.</summary>
    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
        }
        return ~crc;
    }

    private static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8;
    }

    /// <summary>Every record of a TFRecord file; fails on a length or data CRC that does not match.</summary>
    private static List<Tensorboard.Event> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<Tensorboard.Event>();
        for (int at = 0; at < bytes.Length;)
        {
            var header = bytes.AsSpan(at, 8);
            Assert.Equal(Masked(header), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)));
            int length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header));
            var data = bytes.AsSpan(at + 12, length);
            Assert.Equal(Masked(data), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + length)));
            events.Add(Tensorboard.Event.Parser.ParseFrom(data.ToArray())); // TorchSharp's generated code parses from a stream, not a span
            at += 12 + length + 4;
        }
        return events;
    }

    [Fact]
    public void TrainingWritesValidEventFilesWithTheStepsScalarsAndSampleGrids()
    {
        Assert.Equal(0xE3069283u, Crc32C("123456789"u8));
        using var cli = new CliHarness();
        var run = cli.PathOf("run");
        var (code, output, error) = cli.Run("train", "--data", "procedural:rothko", "--resolution", "32", "--steps", "4", "--batch-size", "4", "--generator-width", "4",
            "--discriminator-width", "4", "--latent-size", "4", "--out", run, "--quiet", "--sample-every", "2", "--threads", "1", "--tensorboard");
        Assert.True(code == 0, error + output);
        var files = Directory.GetFiles(Path.Combine(run, "tensorboard"), "events.out.tfevents.*");
        var events = Read(Assert.Single(files));
        var values = events.Where(e => e.Summary is not null).SelectMany(e => e.Summary.Value.Select(v => (e.Step, v))).ToList();

        // Each step's scalars are the numbers of metrics.jsonl's rows.
        var rows = File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).Where(r => !r.TryGetProperty("event", out _)).ToList();
        Assert.Equal(4, rows.Count);
        foreach (var row in rows)
        {
            long step = row.GetProperty("step").GetInt64();
            float Value(string tag) => values.Single(x => x.Step == step && x.v.Tag == tag).v.SimpleValue;
            Assert.Equal((float)row.GetProperty("lossD").GetDouble(), Value("loss/discriminator"));
            Assert.Equal((float)row.GetProperty("lossG").GetDouble(), Value("loss/generator"));
            Assert.Equal((float)row.GetProperty("dReal").GetDouble(), Value("discriminator/real"));
            Assert.Equal((float)row.GetProperty("lr").GetDouble(), Value("schedule/learning_rate"));
        }
        // The grids of steps 2 and 4, as the PNG files they are.
        foreach (var step in new long[] { 2, 4 })
        {
            var image = values.Single(x => x.Step == step && x.v.Tag == "samples").v.Image;
            using var written = Atelier.Imaging.ImageCodec.Decode(Path.Combine(run, "samples", $"step-{step:D6}.png"));
            using var logged = Atelier.Imaging.ImageCodec.Decode(image.EncodedImageString.ToByteArray(), "the logged grid"); // re-encoded, without text chunks
            Assert.Equal((written.Width, written.Height), (image.Width, image.Height));
            Assert.Equal(written.GetPixelSpan().ToArray(), logged.GetPixelSpan().ToArray());
        }

        // A resumed run keeps writing them, in a second file of the same folder.
        (code, output, error) = cli.Run("train", "--resume", run, "--steps", "6", "--quiet");
        Assert.True(code == 0, error + output);
        files = Directory.GetFiles(Path.Combine(run, "tensorboard"), "events.out.tfevents.*");
        Assert.Equal(2, files.Length);
        var resumed = files.SelectMany(Read).Where(e => e.Summary is not null).SelectMany(e => e.Summary.Value.Select(v => (e.Step, v.Tag))).ToList();
        Assert.Contains((6L, "loss/generator"), resumed);
    }
}
