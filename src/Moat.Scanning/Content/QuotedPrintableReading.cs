namespace Moat.Scanning.Content;

/// <summary>One way to read quoted-printable that breaks the rules; <see cref="QuotedPrintableBlock"/> tries several.</summary>
/// <param name="KeepBrokenEquals">A broken escape ("=X", "==41") keeps its '=' as text; otherwise the '=' is dropped.</param>
/// <param name="DropBrokenEscape">A broken escape loses the '=' and up to <paramref name="DroppedAfterEquals"/> characters after it (up to the next '=').</param>
/// <param name="UpperCaseHexOnly">Only upper-case hex makes an escape, as the standard says; otherwise lower case is accepted.</param>
/// <param name="BareLineFeeds">A hard line break is LF (a Unix encoder's 0x0A bytes); otherwise CRLF.</param>
/// <param name="DroppedAfterEquals">
/// How many characters a dropped broken escape takes with it. With one, a junk pair inside an
/// escape ("==a03" for "=03") is skipped too.
/// </param>
internal sealed record QuotedPrintableReading(bool KeepBrokenEquals, bool DropBrokenEscape, bool UpperCaseHexOnly, bool BareLineFeeds, int DroppedAfterEquals = 2)
{
    public static IReadOnlyList<QuotedPrintableReading> All { get; } =
    [
        new(KeepBrokenEquals: false, DropBrokenEscape: false, UpperCaseHexOnly: false, BareLineFeeds: false),
        new(KeepBrokenEquals: true, DropBrokenEscape: false, UpperCaseHexOnly: false, BareLineFeeds: false),
        new(KeepBrokenEquals: false, DropBrokenEscape: false, UpperCaseHexOnly: false, BareLineFeeds: true),
        new(KeepBrokenEquals: false, DropBrokenEscape: true, UpperCaseHexOnly: true, BareLineFeeds: false),
        new(KeepBrokenEquals: false, DropBrokenEscape: true, UpperCaseHexOnly: true, BareLineFeeds: true),
        new(KeepBrokenEquals: false, DropBrokenEscape: true, UpperCaseHexOnly: true, BareLineFeeds: false, DroppedAfterEquals: 1),
        new(KeepBrokenEquals: false, DropBrokenEscape: true, UpperCaseHexOnly: true, BareLineFeeds: true, DroppedAfterEquals: 1),
    ];

    public bool IsHex(char c) => c is >= '0' and <= '9' or >= 'A' and <= 'F' || (!UpperCaseHexOnly && c is >= 'a' and <= 'f');
}
