namespace Moat.Scanning.Signatures;

/// <summary>
/// (size, digest) as a value: the digest's first 16 bytes in <see cref="High"/>, the rest (SHA-1,
/// SHA-256) in <see cref="Low"/>. Two 128-bit integers hash and compare much faster than byte
/// arrays, which is what makes loading a million signatures cheap. Size -1 stands for "*".
/// </summary>
internal readonly record struct HashKey(long Size, UInt128 High, UInt128 Low)
{
    public const long AnySize = -1;

    public static HashKey Create(long size, ReadOnlySpan<byte> digest)
    {
        Span<byte> padded = stackalloc byte[32];
        digest.CopyTo(padded);
        var high = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(padded);
        var low = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(padded[16..]);
        return new HashKey(size, high, low);
    }
}
