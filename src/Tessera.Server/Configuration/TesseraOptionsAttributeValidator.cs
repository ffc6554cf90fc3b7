using Microsoft.Extensions.Options;

namespace Tessera.Server.Configuration;

/// <summary>
/// The bounds written as attributes on <see cref="TesseraOptions"/> and its sections, checked by code the options
/// source generator writes at build time (no reflection at start). Each failure reads "Member: message", the message
/// naming the setting by its configuration key.
/// </summary>
[OptionsValidator]
internal sealed partial class TesseraOptionsAttributeValidator : IValidateOptions<TesseraOptions>;
