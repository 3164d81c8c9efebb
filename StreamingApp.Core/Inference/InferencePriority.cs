namespace StreamingApp.Core.Inference;

public enum InferencePriority
{
    /// <summary>Live stream frames: served first, in arrival order, so no session starves another.</summary>
    Interactive,

    /// <summary>Upload jobs: use only capacity no live frame is waiting for, one core per frame.</summary>
    Background,
}
