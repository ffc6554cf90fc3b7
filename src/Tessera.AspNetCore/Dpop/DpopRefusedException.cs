namespace Tessera.AspNetCore.Dpop;

/// <summary>
/// An authentication failure of RFC 9449 §7.1: the challenge that answers it uses the DPoP scheme with this error code
/// (invalid_token for how the token was presented, invalid_dpop_proof for the proof).
/// </summary>
public sealed class DpopRefusedException(string error, string description) : Exception(description)
{
    public string Error { get; } = error;
}
