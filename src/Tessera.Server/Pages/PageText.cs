namespace Tessera.Server.Pages;

/// <summary>
/// The one resource of the pages' words: <c>IStringLocalizer&lt;PageText&gt;</c> in views and page models, keyed by the
/// English text itself, translated in Resources/Pages/PageText.&lt;culture&gt;.resx. One file per language is what a
/// translator copies to add one. In this namespace because the resource's name follows it (Resources/Pages/).
/// </summary>
public sealed class PageText;
