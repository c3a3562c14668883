namespace Moat.Web.Privacy;

/// <summary>One kind of stored data on the privacy notice.</summary>
/// <param name="What">e.g. "Messages held in quarantine".</param>
/// <param name="Contents">What exactly is kept, e.g. "the whole message, its envelope sender and recipients".</param>
/// <param name="Purpose">Why Moat keeps it.</param>
/// <param name="Retention">For how long, in words, e.g. "30 days after arrival, then deleted".</param>
public sealed record PrivacyNoticeItem(string What, string Contents, string Purpose, string Retention);
