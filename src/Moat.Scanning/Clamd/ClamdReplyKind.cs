namespace Moat.Scanning.Clamd;

public enum ClamdReplyKind
{
    /// <summary>"stream: OK".</summary>
    Clean,

    /// <summary>"stream: NAME FOUND".</summary>
    Found,

    /// <summary>"INSTREAM size limit exceeded. ERROR": the object is larger than clamd's StreamMaxLength.</summary>
    SizeLimitExceeded,

    /// <summary>Any other "... ERROR" reply or a reply we do not understand.</summary>
    Error,
}
