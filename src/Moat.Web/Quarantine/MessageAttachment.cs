namespace Moat.Web.Quarantine;

/// <summary>An attachment as listed on the message page (never opened in the browser).</summary>
public sealed record MessageAttachment(string FileName, string ContentType, long? Size);
