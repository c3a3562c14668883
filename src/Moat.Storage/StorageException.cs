namespace Moat.Storage;

/// <summary>
/// The store cannot be used at all (damaged or foreign file, no permission, disk full, newer
/// schema). The message names the file and what to do, so callers can print it as it is.
/// </summary>
public sealed class StorageException : Exception
{
    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StorageException()
    {
    }
}
