using System.ComponentModel.DataAnnotations;

namespace Tessera.Server.Configuration;

/// <summary>
/// DataAnnotations' <see cref="RangeAttribute"/> under a name of its own, so its <c>ErrorMessage</c> reaches the operator.
/// The options source generator replaces <c>[Range]</c> with a copy that always says "The field TesseraOptions.… must be
/// between …" (dotnet/runtime#123137, still so in 10.0); it leaves a subclass as written.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class SettingRangeAttribute : RangeAttribute
{
    public SettingRangeAttribute(int minimum, int maximum) : base(minimum, maximum) { }

    /// <summary>Bounds of another type written as strings, e.g. <c>typeof(TimeSpan), "00:00:01", "1.00:00:00"</c>.</summary>
    public SettingRangeAttribute(Type type, string minimum, string maximum) : base(type, minimum, maximum) { }

    private readonly Lock _conversion = new();

    /// <summary>
    /// RangeAttribute converts string bounds on its first use without a lock, and the generated validator keeps one
    /// instance for the process: two hosts validating at once (the test suites start many) could see a bound half
    /// converted (InvalidCastException, TimeSpan to String). Validation runs at start only, so a lock costs nothing.
    /// </summary>
    public override bool IsValid(object? value)
    {
        lock (_conversion) return base.IsValid(value);
    }
}
