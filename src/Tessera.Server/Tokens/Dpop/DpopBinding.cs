namespace Tessera.Server.Tokens.Dpop;

/// <summary>
/// The key a request proved it holds (RFC 9449): its RFC 7638 thumbprint, which bound tokens carry as <c>cnf.jkt</c>;
/// <see cref="None"/> for a request without a DPoP proof.
/// </summary>
public sealed record DpopBinding(string? KeyThumbprint)
{
    public static readonly DpopBinding None = new((string?)null);

    public bool Bound => KeyThumbprint is not null;
}
