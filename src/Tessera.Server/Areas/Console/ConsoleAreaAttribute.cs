namespace Tessera.Server.Areas.Console;

/// <summary>
/// The part of the admin permissions a console page belongs to (clients, apis, users, keys, roles, audit): reading the
/// page needs the right to read it, and every post to it the right to change it (<see cref="ConsoleAccessFilter"/>).
/// A page without one (the dashboard) is open to every administrator and changes nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class ConsoleAreaAttribute(string area) : Attribute
{
    public string Area { get; } = area;
}
