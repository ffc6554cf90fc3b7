namespace Tessera.Server.Tokens.Revocation;

/// <summary>
/// Where this node's revocation poll goes on reading the revocation log: every line with an id up to <see cref="After"/>
/// has been applied. Ids are handed out when a line is written, not when its transaction commits, so on PostgreSQL a
/// lower id can become visible after a higher one was read. A missing id is therefore not stepped over at once: the
/// poll reads again from just before it (re-applying a line is harmless) until it shows up, or for
/// <see cref="Settle"/> — long enough for any revoking transaction — after which it is taken for a rolled-back write.
/// In steady state there is no gap and each poll reads only lines it has not seen.
/// </summary>
internal sealed class RevocationCursor
{
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    private DateTimeOffset? _gapSince;

    public long After { get; private set; }

    public void Start(long after)
    {
        After = after;
        _gapSince = null;
    }

    /// <summary>Moves on past the ids just read (ascending, all above <see cref="After"/>).</summary>
    public void Advance(IReadOnlyList<long> ids, DateTimeOffset now)
    {
        var after = After;
        var i = 0;
        while (i < ids.Count && ids[i] == after + 1) after = ids[i++];
        if (i == ids.Count)
        {
            After = after;
            _gapSince = null;
            return;
        }

        // A gap: timed from now if it is a new one (the one before was filled), else stepped over once it has settled.
        if (after > After || _gapSince is null) _gapSince = now;
        if (now - _gapSince.Value < Settle)
        {
            After = after;
            return;
        }
        // Over the settled gap up to the next one, which gets its own time.
        after = ids[i++];
        while (i < ids.Count && ids[i] == after + 1) after = ids[i++];
        After = after;
        _gapSince = i == ids.Count ? null : now;
    }
}
