using System.Diagnostics.Metrics;

namespace Tessera.Server.Telemetry;

/// <summary>
/// Access tokens this node issued in each of the last 60 minutes, for the console's overview: a listener on this host's
/// own <c>tessera.tokens.issued</c> counter (another host in the same process has another meter factory). It costs the
/// token path one callback and one interlocked add per token (bench/RESULTS.md, "Console"); it keeps no client or user.
/// </summary>
public sealed class RecentTokenIssuance : IDisposable
{
    private const int Minutes = 60;
    private readonly long[] _counts = new long[Minutes];
    private readonly long[] _minuteOfSlot = new long[Minutes];
    private readonly TimeProvider _clock;
    private readonly MeterListener _listener;

    public RecentTokenIssuance(IMeterFactory meters, TimeProvider clock)
    {
        _clock = clock;
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name == TesseraMetrics.TokensIssuedName)
                    listener.EnableMeasurementEvents(instrument);
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Add(value));
        _listener.Start();
    }

    /// <summary>Oldest first: the count of each of the last <paramref name="minutes"/> whole minutes and the current one.</summary>
    public IReadOnlyList<long> PerMinute(int minutes)
    {
        var now = CurrentMinute();
        var counts = new long[Math.Clamp(minutes, 1, Minutes)];
        for (var i = 0; i < counts.Length; i++)
        {
            var minute = now - (counts.Length - 1 - i);
            var slot = (int)(minute % Minutes);
            counts[i] = Volatile.Read(ref _minuteOfSlot[slot]) == minute ? Volatile.Read(ref _counts[slot]) : 0;
        }
        return counts;
    }

    private void Add(long value)
    {
        var minute = CurrentMinute();
        var slot = (int)(minute % Minutes);
        if (Volatile.Read(ref _minuteOfSlot[slot]) != minute)
        {
            // The slot still counts a minute an hour old: the first token of the new minute resets it (rarely contended).
            lock (_counts)
            {
                if (_minuteOfSlot[slot] != minute)
                {
                    Volatile.Write(ref _counts[slot], 0);
                    Volatile.Write(ref _minuteOfSlot[slot], minute);
                }
            }
        }
        Interlocked.Add(ref _counts[slot], value);
    }

    private long CurrentMinute() => _clock.GetUtcNow().ToUnixTimeSeconds() / 60;

    public void Dispose() => _listener.Dispose();
}
