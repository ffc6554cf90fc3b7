// An MCP server (Streamable HTTP, MCP 2025-11-25) whose tools are protected by Tessera. A client that knows only this
// server's URL meets a 401 naming the protected-resource metadata, finds Tessera there, registers itself and signs the
// user in (MCP authorization, RFC 9728, RFC 7591, RFC 8707); a tool beyond the token's scopes answers 403
// insufficient_scope, so the client steps up. Configuration: Tessera:Authority (the issuer) and Mcp:Resource (this
// server's MCP endpoint URL: the API resource's audience at Tessera).
using Tessera.AspNetCore;

await Tessera.Samples.Mcp.NotesMcpServer.Build(args).RunAsync();

namespace Tessera.Samples.Mcp
{
    /// <summary>The whole server; built by a method rather than in top-level statements so a test can host it in-process.</summary>
    public static class NotesMcpServer
    {
        public static WebApplication Build(string[] args)
        {
            var builder = WebApplication.CreateBuilder(args);
            var authority = builder.Configuration["Tessera:Authority"]
                ?? throw new InvalidOperationException("Tessera:Authority is required: the issuer, e.g. https://id.example");
            var resource = builder.Configuration["Mcp:Resource"]
                ?? throw new InvalidOperationException("Mcp:Resource is required: this server's MCP endpoint URL, e.g. https://mcp.example/mcp");
            builder.Services.AddAuthentication(TesseraDefaults.AuthenticationScheme).AddTessera(o =>
            {
                o.Authority = authority;                                        // Tessera, named in the RFC 9728 metadata
                o.Audience = resource;                                          // RFC 8707: tokens for this MCP server only
                o.RequireHttpsMetadata = !builder.Environment.IsDevelopment(); // plain http only for a loopback issuer in development
                o.ProtectedResource.ResourceName = "Notes (MCP)";
                o.ProtectedResource.ScopesSupported.Add("notes:read");          // RFC 9728 scopes_supported: what a client asks for
                o.ProtectedResource.ScopesSupported.Add("notes:write");
            });
            builder.Services.AddAuthorization();
            builder.Services.AddSingleton<NoteBook>();
            builder.Services.AddMcpServer().WithHttpTransport().WithTools<NotesTools>();

            var app = builder.Build();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapTesseraProtectedResourceMetadata();   // /.well-known/oauth-protected-resource/mcp; every 401 names it
            app.MapMcp(new Uri(resource).AbsolutePath).RequireAuthorization().RequireToolScopes();
            return app;
        }
    }
}
