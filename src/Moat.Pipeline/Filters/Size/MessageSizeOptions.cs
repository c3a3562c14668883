namespace Moat.Pipeline.Filters.Size;

public sealed class MessageSizeOptions
{
    /// <summary>Largest message in bytes (the same default as the SMTP server's advertised SIZE).</summary>
    public long MaxMessageSize { get; set; } = 50L * 1024 * 1024;
}
