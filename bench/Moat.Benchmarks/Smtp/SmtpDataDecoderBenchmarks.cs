using System.Text;
using BenchmarkDotNet.Attributes;
using Moat.Smtp.Protocol;

namespace Moat.Benchmarks.Smtp;

/// <summary>
/// Dot-unstuffing and end-of-data detection over a message as it arrives in 16 KiB reads;
/// throughput per message size (compare with the memcpy baseline).
/// </summary>
[MemoryDiagnoser]
public class SmtpDataDecoderBenchmarks
{
    private const int ReadSize = 16 * 1024;
    private byte[] input = [];
    private byte[] output = [];

    [Params(10 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // 76-character lines, as base64 attachments arrive, with a dot-stuffed line now and then.
        var text = new StringBuilder();
        var line = 0;
        while (text.Length < Size)
        {
            text.Append(line++ % 50 == 0 ? "..stuffed line" : new string((char)('A' + (line % 26)), 76)).Append("\r\n");
        }

        text.Append(".\r\n");
        input = Encoding.ASCII.GetBytes(text.ToString());
        output = new byte[ReadSize];
    }

    [Benchmark(Baseline = true)]
    public int Copy()
    {
        var total = 0;
        for (var offset = 0; offset < input.Length; offset += ReadSize)
        {
            var chunk = input.AsSpan(offset, Math.Min(ReadSize, input.Length - offset));
            chunk.CopyTo(output);
            total += chunk.Length;
        }

        return total;
    }

    [Benchmark]
    public int Decode()
    {
        var decoder = new SmtpDataDecoder();
        var total = 0;
        for (var offset = 0; offset < input.Length && !decoder.IsComplete; offset += ReadSize)
        {
            var chunk = input.AsSpan(offset, Math.Min(ReadSize, input.Length - offset));
            decoder.Decode(chunk, output, out var written);
            total += written;
        }

        return total;
    }
}
