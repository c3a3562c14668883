using System.Text;
using BenchmarkDotNet.Attributes;
using Moat.Trust.Content;

namespace Moat.Benchmarks.Trust;

/// <summary>
/// What the list content check costs per message on the SMTP path: reading the tokens of a
/// message (MimeKit parse, text, words and pairs) and hashing them with the installation's key.
/// Trusted and familiar inbound mail pays both to be learned; a trusted list's post also a lookup.
/// </summary>
[MemoryDiagnoser]
public class ListContentBenchmarks
{
    private static readonly string[] Vocabulary =
        "the build failed again after merge see test log and patch for release we should look into this before friday meeting notes are attached please review changes in module config server client".Split(' ');

    private byte[] message = [];
    private IReadOnlySet<string> tokens = new HashSet<string>();
    private readonly TokenHasher hasher = new(new byte[TokenHasher.KeyLength]);

    /// <summary>Message body size in bytes (plain text, ordinary words).</summary>
    [Params(5 * 1024, 50 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var text = new StringBuilder("From: carol@bank.test\r\nTo: alice@example.test\r\nSubject: Re: the build\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
        var random = new Random(1);
        var column = 0;
        while (text.Length < Size)
        {
            var word = Vocabulary[random.Next(Vocabulary.Length)] + (random.Next(8) == 0 ? random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
            text.Append(word).Append(' ');
            column += word.Length + 1;
            if (column > 70)
            {
                text.Append("\r\n");
                column = 0;
            }
        }

        message = Encoding.UTF8.GetBytes(text.ToString());
        tokens = await ContentTokenizer.ReadAsync(new MemoryStream(message), CancellationToken.None);
    }

    [Benchmark]
    public Task<IReadOnlySet<string>> Tokenize() => ContentTokenizer.ReadAsync(new MemoryStream(message), CancellationToken.None);

    [Benchmark]
    public long[] Hash() => hasher.Hash(tokens.ToArray());
}
