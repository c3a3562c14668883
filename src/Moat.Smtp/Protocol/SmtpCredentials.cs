namespace Moat.Smtp.Protocol;

/// <summary>
/// What a client presented with AUTH, decoded and checked for form only: nothing here has been
/// verified. <see cref="ToString"/> leaves the password out, so logging the object is safe.
/// </summary>
/// <param name="Mechanism">The SASL mechanism used, upper-case ("PLAIN", "LOGIN").</param>
/// <param name="UserName">The authentication identity, as the client spelled it (UTF-8, no normalisation).</param>
/// <param name="Password">The password, as the client sent it. Never log it.</param>
public sealed record SmtpCredentials(string Mechanism, string UserName, string Password)
{
    public override string ToString() => $"SmtpCredentials {{ Mechanism = {Mechanism}, UserName = {UserName} }}";
}
