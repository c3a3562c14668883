namespace Moat.Scanning.Tests.Support;

/// <summary>One object a walk yielded, with its content read while the walk was still alive.</summary>
internal sealed record WalkedObject(ScanObject Item, byte[] Content)
{
    public string Text => System.Text.Encoding.Latin1.GetString(Content);

    public bool Contains(byte[] needle) => Content.AsSpan().IndexOf(needle) >= 0;

    public override string ToString() => Item.Path;
}
