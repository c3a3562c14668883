namespace Moat.Queue.Spool;

/// <summary>The last valid envelope record of a queue file and where it ends (appends go there).</summary>
internal sealed record SpoolRecordInfo(Envelope Envelope, long ContentLength, long RecordEnd);
