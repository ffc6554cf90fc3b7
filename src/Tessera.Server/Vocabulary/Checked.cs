namespace Tessera.Server.Vocabulary;

/// <summary>
/// The value of a check that passed and has nothing to hand on, so a rule that only accepts or refuses returns
/// <c>Outcome&lt;Checked&gt;</c> like every other step that can fail.
/// </summary>
public readonly record struct Checked
{
    public static readonly Checked Passed;
}
