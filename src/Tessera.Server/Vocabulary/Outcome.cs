using System.Diagnostics.CodeAnalysis;

namespace Tessera.Server.Vocabulary;

/// <summary>Either a value or the <see cref="OAuthError"/> that ends the request: steps return it instead of throwing.</summary>
public readonly struct Outcome<T>
{
    private Outcome(T? value, OAuthError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }
    public OAuthError? Error { get; }

    [MemberNotNullWhen(true, nameof(Error))]
    [MemberNotNullWhen(false, nameof(Value))]
    public bool Failed => Error is not null;

    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(OAuthError error) => new(default, error);
}
