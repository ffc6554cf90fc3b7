using System.ComponentModel;
using System.Security.Claims;
using ModelContextProtocol.Server;
using Tessera.AspNetCore;

namespace Tessera.Samples.Mcp;

/// <summary>
/// The MCP tools. Each names the scope its calls need ([ToolScope]); <see cref="ToolScopes"/> enforces it before the
/// SDK sees the call, so a token without it gets HTTP 403 insufficient_scope rather than a JSON-RPC error.
/// </summary>
[McpServerToolType]
public sealed class NotesTools(NoteBook notes)
{
    [McpServerTool(Name = "read_notes", ReadOnly = true), Description("Lists the signed-in user's notes, oldest first.")]
    [ToolScope("notes:read")]
    public IReadOnlyList<string> ReadNotes(ClaimsPrincipal user) => notes.Of(SubjectOf(user));

    [McpServerTool(Name = "write_note", Destructive = false), Description("Adds a note for the signed-in user.")]
    [ToolScope("notes:write")]
    public string WriteNote(ClaimsPrincipal user, [Description("The note's text.")] string text)
    {
        notes.Add(SubjectOf(user), text);
        return "saved";
    }

    // The endpoint requires an authenticated caller, and every Tessera token names its subject (a user's or a client's).
    private static string SubjectOf(ClaimsPrincipal user) =>
        user.FindFirst(TesseraDefaults.SubjectClaim)?.Value ?? throw new InvalidOperationException("the caller's token has no sub claim");
}
