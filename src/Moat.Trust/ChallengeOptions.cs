namespace Moat.Trust;

/// <summary>Challenge-response settings.</summary>
public sealed class ChallengeOptions
{
    /// <summary>The local part of challenge addresses: <c>confirm+TOKEN@domain</c>.</summary>
    public string LocalPart { get; set; } = "confirm";

    /// <summary>The domain of challenge addresses; default: the first accepted domain (replies must reach this gateway).</summary>
    public string? Domain { get; set; }

    /// <summary>Where the confirmation page is reached from outside, e.g. https://mail.example.org; null leaves the link out (reply only).</summary>
    public string? PublicUrl { get; set; }

    /// <summary>At most this many challenges to one sender address per day.</summary>
    public int MaxPerSenderPerDay { get; set; } = 1;

    /// <summary>How long a challenge can be answered and held mail is kept; afterwards held mail is deleted without a bounce.</summary>
    public TimeSpan HoldTime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How many characters of the original subject the challenge may quote.</summary>
    public int SubjectExcerptLength { get; set; } = 40;
}
