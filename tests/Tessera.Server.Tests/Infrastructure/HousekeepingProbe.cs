using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Tessera.Server.Housekeeping;
using Tessera.Server.Telemetry;
using Tessera.Testing;

namespace Tessera.Server.Tests.Infrastructure;

/// <summary>
/// What one server's housekeeping shows an operator: its log lines and its <c>tessera.housekeeping.*</c> instruments.
/// Servers in one test process share the meter's name, so the listener takes only the instruments of this server's
/// own meter.
/// </summary>
public sealed class HousekeepingProbe : IDisposable
{
    private static readonly string Category = typeof(HousekeepingService).FullName!;

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _deleted = new();
    private readonly ConcurrentDictionary<string, int> _passes = new();

    public ConcurrentQueue<string> LogLines { get; } = new();

    /// <summary>The settings that let the probe read housekeeping's log, debug lines (a skipped pass) included.</summary>
    public static Dictionary<string, string?> Settings(Dictionary<string, string?> settings)
    {
        settings[$"Logging:LogLevel:{Category}"] = "Debug";
        return settings;
    }

    public void Configure(WebApplicationBuilder builder) => builder.Logging.AddProvider(new LineCapture(LogLines));

    /// <summary>Starts listening to the server's own meter.</summary>
    public void Attach(TesseraServer server)
    {
        var meter = server.GetService<TesseraMetrics>().Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name.StartsWith("tessera.housekeeping.", StringComparison.Ordinal))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "tessera.housekeeping.deleted") _deleted.AddOrUpdate(Tag(tags, "table"), value, (_, sum) => sum + value);
        });
        _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            if (instrument.Name == "tessera.housekeeping.pass.duration") _passes.AddOrUpdate(Tag(tags, "outcome"), 1, (_, n) => n + 1);
        });
        _listener.Start();
    }

    /// <summary>The first log line containing <paramref name="text"/>, waited for up to 10 s.</summary>
    public async Task<string> LogLineAsync(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var line = LogLines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null) return line;
            Assert.True(DateTime.UtcNow < deadline, $"no log line contains \"{text}\"; the log: {string.Join(" | ", LogLines)}");
            await Task.Delay(50);
        }
    }

    public long Deleted(string table) => _deleted.GetValueOrDefault(table);

    public int Passes(string outcome) => _passes.GetValueOrDefault(outcome);

    public void Dispose() => _listener.Dispose();

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
            if (tag.Key == name) return tag.Value?.ToString() ?? "";
        return "";
    }

    private sealed class LineCapture(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => category == Category;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) lines.Enqueue(formatter(state, exception));
            }
        }
    }
}
