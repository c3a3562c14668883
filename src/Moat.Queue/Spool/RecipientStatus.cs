namespace Moat.Queue.Spool;

public enum RecipientStatus
{
    Pending,
    Delivered,
    Failed,
}
