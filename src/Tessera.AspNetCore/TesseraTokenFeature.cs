namespace Tessera.AspNetCore;

/// <summary>The token a Tessera scheme accepted for this request, kept for forwarding to the next service.</summary>
public sealed record TesseraTokenFeature(string Token);
