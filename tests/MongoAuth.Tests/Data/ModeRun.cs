using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.Data;

/// <summary>Runs the sync or the async form of a data API call, per <see cref="Mode"/>.</summary>
internal static class ModeRun
{
    public static async Task<T> Run<T>(this Mode mode, Func<T> sync, Func<Task<T>> asynchronous) =>
        mode == Mode.Async ? await asynchronous() : sync();

    public static async Task Run(this Mode mode, Action sync, Func<Task> asynchronous)
    {
        if (mode == Mode.Async)
        {
            await asynchronous();
        }
        else
        {
            sync();
        }
    }
}
