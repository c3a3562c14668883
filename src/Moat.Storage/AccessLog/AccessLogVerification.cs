namespace Moat.Storage.AccessLog;

/// <summary>
/// The result of walking the whole chain. When it is not <see cref="Intact"/>, the entries before
/// <see cref="FirstBrokenSequence"/> are still trustworthy; <see cref="Problem"/> says what is
/// wrong, e.g. "entry #7: contents do not match its hash".
/// </summary>
/// <param name="EntriesChecked">How many entries were read (up to the end, even past a break).</param>
/// <param name="FirstBrokenSequence">The first entry that is changed, missing or out of place; null when intact.</param>
/// <param name="HeadHash">
/// The hash of the newest entry (of the purge anchor when none remain, 64 zeros for an empty log).
/// Written down somewhere else, it lets a later verification notice a log rewritten as a whole.
/// </param>
public sealed record AccessLogVerification(
    bool Intact,
    long EntriesChecked,
    long? FirstBrokenSequence,
    string? Problem,
    string HeadHash);
