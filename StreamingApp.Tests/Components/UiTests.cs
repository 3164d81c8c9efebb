namespace StreamingApp.Tests.Components;

/// <summary>Base of the component tests: a fresh <see cref="UiTestContext"/> for each test, disposed after it.</summary>
public abstract class UiTests : IDisposable
{
    private protected UiTestContext Ui { get; } = new();

    public void Dispose() => Ui.Dispose();
}
