namespace Moat.Scanning.Scanning;

/// <summary>The running totals of one engine during one scan; <see cref="ScanRun"/> guards it.</summary>
internal sealed class EngineTally
{
    public int Objects { get; set; }

    public TimeSpan Duration { get; set; }

    public int Detections { get; set; }

    public int Errors { get; set; }
}
