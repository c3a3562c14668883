namespace Moat.Pipeline;

/// <summary>Why a filter produced no verdict of its own.</summary>
public enum FilterFailure
{
    None,

    /// <summary>The filter threw.</summary>
    Exception,

    /// <summary>The filter did not finish within <see cref="PipelineOptions.FilterTimeout"/>.</summary>
    Timeout,
}
