namespace Tessera.Cli.Decoding;

/// <summary>"expires in 14 min", "expired 3 days ago": a time as a person reads it.</summary>
public static class RelativeTime
{
    public static string Describe(long unix, DateTimeOffset now, string future, string past)
    {
        var delta = DateTimeOffset.FromUnixTimeSeconds(unix) - now;
        var amount = Amount(delta.Duration());
        return delta >= TimeSpan.Zero ? $"{future} in {amount}" : $"{past} {amount} ago";
    }

    private static string Amount(TimeSpan span) => span switch
    {
        { TotalSeconds: < 60 } => Plural((int)span.TotalSeconds, "second"),
        { TotalMinutes: < 60 } => $"{(int)span.TotalMinutes} min",
        { TotalHours: < 48 } => Plural((int)span.TotalHours, "hour"),
        _ => Plural((int)span.TotalDays, "day"),
    };

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";
}
