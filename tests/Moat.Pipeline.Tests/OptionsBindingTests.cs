using System.Text;
using Microsoft.Extensions.Configuration;
using Moat.Pipeline.Filters.Relay;

namespace Moat.Pipeline.Tests;

public sealed class OptionsBindingTests
{
    [Fact]
    public void Options_bind_from_configuration_and_a_configured_trusted_list_replaces_the_default()
    {
        var configuration = Load("""
            {
              "pipeline": { "filterTimeout": "00:00:05" },
              "filters": {
                "relay": { "acceptedDomains": [ "example.test" ], "trustedNetworks": [ "10.0.0.0/8" ] },
                "sender": { "allowUnqualifiedFromTrusted": false },
                "recipientDomains": { "allowAddressLiterals": true },
                "size": { "maxMessageSize": 1048576 }
              }
            }
            """);

        var pipeline = configuration.GetSection("pipeline").Get<PipelineOptions>()!;
        var filters = configuration.GetSection("filters").Get<StandardFilterOptions>()!;

        Assert.Equal(TimeSpan.FromSeconds(5), pipeline.FilterTimeout);
        Assert.Equal(["example.test"], filters.Relay.AcceptedDomains);
        Assert.Equal(["10.0.0.0/8"], filters.Relay.EffectiveTrustedNetworks);
        Assert.False(filters.Sender.AllowUnqualifiedFromTrusted);
        Assert.True(filters.RecipientDomains.AllowAddressLiterals);
        Assert.Equal(1048576, filters.Size.MaxMessageSize);
    }

    [Fact]
    public void Defaults_apply_when_the_configuration_is_silent()
    {
        var configuration = Load("""{ "filters": { "relay": { "acceptedDomains": [ "example.test" ] } } }""");

        var pipeline = configuration.GetSection("pipeline").Get<PipelineOptions>() ?? new PipelineOptions();
        var filters = configuration.GetSection("filters").Get<StandardFilterOptions>()!;

        Assert.Equal(TimeSpan.FromSeconds(30), pipeline.FilterTimeout);
        Assert.Equal(RelayControlOptions.DefaultTrustedNetworks, filters.Relay.EffectiveTrustedNetworks);
        Assert.True(filters.Sender.AllowUnqualifiedFromTrusted);
        Assert.False(filters.RecipientDomains.AllowAddressLiterals);
        Assert.Equal(50L * 1024 * 1024, filters.Size.MaxMessageSize);
    }

    private static IConfiguration Load(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
}
