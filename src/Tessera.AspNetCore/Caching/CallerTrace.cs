using System.Diagnostics;

namespace Tessera.AspNetCore.Caching;

/// <summary>
/// HybridCache may run a factory on a work item that does not carry the caller's execution context, and with it
/// <see cref="Activity.Current"/>: an introspection or token exchange made there would start a trace of its own. The
/// factory puts the caller's span back before it calls out, so the request to Tessera carries the caller's traceparent.
/// </summary>
internal static class CallerTrace
{
    public static void Continue(Activity? caller)
    {
        if (caller is not null && Activity.Current is null) Activity.Current = caller;
    }
}
