namespace Moat.Pipeline;

public sealed record FilterDescription(string Name, string Description);
