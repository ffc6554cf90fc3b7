using Microsoft.AspNetCore.Html;

namespace Tessera.Server.Areas.Console;

/// <summary>What the confirmation of a destructive action shows (Shared/_Confirm.cshtml).</summary>
public sealed record ConfirmationRequest(string Handler, IHtmlContent Question, IHtmlContent Consequences, IHtmlContent Action, string CancelUrl);
