using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace StreamingApp.Components;

/// <summary>
/// A component whose browser side (JS modules and the objects they create) is set up after its first render and
/// torn down with it. A page left at once disposes its components while their set-up may still be awaiting the
/// browser; tear-down then waits for the set-up to end and undoes all of it, so a component that is gone never
/// attaches, and a callback reference is never handed to the browser after it was disposed.
/// </summary>
/// <typeparam name="TSelf">The component itself, the target of the browser's callbacks (<see cref="Self"/>).</typeparam>
public abstract class BrowserComponent<TSelf> : ComponentBase, IAsyncDisposable
    where TSelf : BrowserComponent<TSelf>
{
    private Task? _setUp;
    private DotNetObjectReference<TSelf>? _self;

    /// <summary>True from the start of disposal: a set-up still running attaches nothing.</summary>
    protected bool IsDisposed { get; private set; }

    /// <summary>What the browser calls back (<c>[JSInvokable]</c> methods); released after tear-down.</summary>
    protected DotNetObjectReference<TSelf> Self => _self ??= DotNetObjectReference.Create((TSelf)this);

    protected override Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _setUp = SetUpAsync();
            return _setUp;
        }

        return Task.CompletedTask;
    }

    /// <summary>Loads the modules and creates the browser-side objects (after the first render).</summary>
    protected abstract Task SetUpAsync();

    /// <summary>Ends and releases what <see cref="SetUpAsync"/> created (each field may still be null).</summary>
    protected abstract ValueTask TearDownAsync();

    /// <summary>Ends a browser-side object (its <c>dispose()</c>), then releases the reference.</summary>
    protected static async ValueTask EndAsync(IJSObjectReference? instance)
    {
        if (instance is not null)
        {
            await instance.InvokeVoidAsync("dispose");
            await ReleaseAsync(instance);
        }
    }

    /// <summary>Releases a module or object reference, if there is one.</summary>
    protected static ValueTask ReleaseAsync(IJSObjectReference? reference) => reference?.DisposeAsync() ?? ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        IsDisposed = true;
        try
        {
            if (_setUp is not null)
            {
                await _setUp;
            }

            await TearDownAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone, and the page with it; the modules ended what they ran when they saw it go.
        }

        _self?.Dispose();
        GC.SuppressFinalize(this);
    }
}
