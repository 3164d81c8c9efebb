using System.Runtime.CompilerServices;

namespace StreamingApp.Core.Jobs;

public static class JobStoreExtensions
{
    /// <summary>Results are read this many at a time: a short query each, never a whole job in memory.</summary>
    public const int ResultsPageSize = 500;

    /// <summary>
    /// Every result of a completed job in frame order, read page by page, so a response can be written as the rows
    /// arrive and no connection is held while a slow client reads.
    /// </summary>
    public static async IAsyncEnumerable<JobFrameResult> ReadResultsAsync(
        this IJobStore store, string id, string? owner, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = -1;
        while (true)
        {
            var page = await store.GetResultsPageAsync(id, owner, after, ResultsPageSize, cancellationToken).ConfigureAwait(false);
            foreach (var result in page)
            {
                yield return result;
            }

            if (page.Count < ResultsPageSize)
            {
                yield break;
            }

            after = page[^1].FrameIndex;
        }
    }
}
