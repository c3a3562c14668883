namespace Moat.Scanning.Content;

/// <summary>How the walker expands an object.</summary>
internal enum ContainerKind
{
    /// <summary>A leaf: nothing inside to find.</summary>
    None,
    Message,
    Mbox,
    Archive,

    /// <summary>Text that may carry uuencoded, yEnc or bare base64 blocks.</summary>
    Text,
}
