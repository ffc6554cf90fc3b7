namespace Tessera.AspNetCore.Events;

/// <summary>Hooks into the Tessera handler, one per step (JwtBearer's shape: a Func property and a virtual method each).</summary>
public class TesseraEvents
{
    /// <summary>Before the token is read: may set <see cref="MessageReceivedContext.Token"/> from elsewhere.</summary>
    public Func<MessageReceivedContext, Task> OnMessageReceived { get; set; } = _ => Task.CompletedTask;

    /// <summary>After the token passed every check: may add claims, or reject it.</summary>
    public Func<TokenValidatedContext, Task> OnTokenValidated { get; set; } = _ => Task.CompletedTask;

    /// <summary>When a token was present but failed a check.</summary>
    public Func<AuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = _ => Task.CompletedTask;

    /// <summary>Before the 401 is written; <c>HandleResponse()</c> writes your own.</summary>
    public Func<ChallengeContext, Task> OnChallenge { get; set; } = _ => Task.CompletedTask;

    /// <summary>Before the 403 is written.</summary>
    public Func<ForbiddenContext, Task> OnForbidden { get; set; } = _ => Task.CompletedTask;

    public virtual Task MessageReceived(MessageReceivedContext context) => OnMessageReceived(context);
    public virtual Task TokenValidated(TokenValidatedContext context) => OnTokenValidated(context);
    public virtual Task AuthenticationFailed(AuthenticationFailedContext context) => OnAuthenticationFailed(context);
    public virtual Task Challenge(ChallengeContext context) => OnChallenge(context);
    public virtual Task Forbidden(ForbiddenContext context) => OnForbidden(context);
}
