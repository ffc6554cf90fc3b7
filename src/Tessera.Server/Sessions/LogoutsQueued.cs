namespace Tessera.Server.Sessions;

/// <summary>
/// Raised on this node once a transaction that queued back-channel logout notifications has committed, so the sender
/// (BackChannelLogout/LogoutDeliveryService, a layer above) delivers them at once instead of at its next poll — which can
/// then be far apart, leaving an idle node's database alone.
/// </summary>
internal sealed class LogoutsQueued
{
    public event Action? Committed;

    public void Raise() => Committed?.Invoke();
}
