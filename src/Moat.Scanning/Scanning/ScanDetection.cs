namespace Moat.Scanning.Scanning;

/// <summary>One engine found one threat in one object.</summary>
/// <param name="ObjectPath">The object's <see cref="ScanObject.Path"/>, e.g. "message.eml › part 2 (invoice.zip) › invoice.exe".</param>
public sealed record ScanDetection(string Engine, string Threat, string ObjectPath);
