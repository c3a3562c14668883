using System.Reflection;

namespace Moat.Cli.Tests;

/// <summary>The dependency direction of docs/architecture.md, checked on the built assemblies.</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void SmtpReferencesNoOtherMoatAssembly()
    {
        var references = MoatReferences(typeof(Moat.Smtp.Server.ISmtpSessionHandler).Assembly);

        Assert.Empty(references);
    }

    [Fact]
    public void PipelineReferencesOnlyTheSmtpTypes()
    {
        var references = MoatReferences(typeof(Moat.Pipeline.PipelineRunner).Assembly);

        Assert.Equal(["Moat.Smtp"], references);
    }

    [Fact]
    public void QueueReferencesNoOtherMoatAssembly()
    {
        var references = MoatReferences(typeof(Moat.Queue.QueueOptions).Assembly);

        Assert.Empty(references);
    }

    [Fact]
    public void ScanningKnowsThePipelineButNotTheQueue()
    {
        var references = MoatReferences(typeof(Moat.Scanning.Engines.IScanEngine).Assembly);

        Assert.Equal(["Moat.Pipeline", "Moat.Smtp"], references);
    }

    [Fact]
    public void StorageReferencesNoOtherMoatAssembly()
    {
        var references = MoatReferences(typeof(Moat.Storage.Trust.ITrustStore).Assembly);

        Assert.Empty(references);
    }

    [Fact]
    public void TrustKnowsThePipelineAndStorageButNotTheQueueOrTheScanner()
    {
        var references = MoatReferences(typeof(Moat.Trust.Filter.TrustFilter).Assembly);

        Assert.Equal(["Moat.Pipeline", "Moat.Smtp", "Moat.Storage"], references);
    }

    [Fact]
    public void AccountsKnowOnlyStorage()
    {
        var references = MoatReferences(typeof(Moat.Accounts.Accounts.AccountService).Assembly);

        Assert.Equal(["Moat.Storage"], references);
    }

    [Fact]
    public void TheAuditStandsAlone()
    {
        var references = MoatReferences(typeof(Moat.Audit.Findings.Finding).Assembly);

        Assert.Empty(references);
    }

    [Fact]
    public void OnlyTheHostReferencesTheWebProject()
    {
        Assembly[] others =
        [
            typeof(Moat.Smtp.Server.SmtpServer).Assembly,
            typeof(Moat.Pipeline.PipelineRunner).Assembly,
            typeof(Moat.Queue.Spool.MessageSpool).Assembly,
            typeof(Moat.Scanning.Filter.AntivirusFilter).Assembly,
            typeof(Moat.Storage.Trust.ITrustStore).Assembly,
            typeof(Moat.Accounts.Accounts.AccountService).Assembly,
            typeof(Moat.Trust.Filter.TrustFilter).Assembly,
            typeof(Moat.Audit.Findings.Finding).Assembly,
        ];

        Assert.All(others, assembly => Assert.DoesNotContain("Moat.Web", MoatReferences(assembly)));
    }

    private static string[] MoatReferences(Assembly assembly) =>
        assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => name.StartsWith("Moat", StringComparison.Ordinal))
            .Order()
            .ToArray();
}
