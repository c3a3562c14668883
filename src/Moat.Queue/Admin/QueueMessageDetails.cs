using Moat.Queue.Spool;

namespace Moat.Queue.Admin;

/// <summary>What <c>moat queue show</c> prints: the envelope and the message's header block.</summary>
public sealed record QueueMessageDetails(QueueState State, Envelope Envelope, string Headers);
