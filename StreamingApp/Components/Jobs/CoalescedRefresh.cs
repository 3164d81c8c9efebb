namespace StreamingApp.Components.Jobs;

/// <summary>
/// Runs a refresh at most once at a time; requests that come while it runs fold into one more run after it. A page
/// hears of every job change (a progress step per percent, several jobs at once): a burst of them becomes a couple of
/// store queries, not one each. Used on a circuit's dispatcher, one call at a time.
/// </summary>
public sealed class CoalescedRefresh(Func<Task> refresh)
{
    private bool _running;
    private bool _again;

    public async Task RequestAsync()
    {
        if (_running)
        {
            _again = true;
            return;
        }

        _running = true;
        try
        {
            do
            {
                _again = false;
                await refresh();
            }
            while (_again);
        }
        finally
        {
            _running = false;
        }
    }
}
