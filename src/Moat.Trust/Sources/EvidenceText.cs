using System.Text;

namespace Moat.Trust.Sources;

/// <summary>
/// Makes remote-controlled text (HELO names, SMTP replies) safe for a one-line log entry:
/// control characters become '?' and the length is capped, so a peer cannot forge log lines
/// or flood the log.
/// </summary>
internal static class EvidenceText
{
    public const int MaxLength = 300;

    public static string Printable(string? text, int maxLength = MaxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength + 3));
        foreach (var c in text)
        {
            if (builder.Length >= maxLength)
            {
                builder.Append("...");
                break;
            }

            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }
}
