using System.Text.Json;
using System.Text.Json.Serialization;

namespace Moat.Web.Dashboard;

/// <summary>The snapshot's JSON for /events, generated at build time (camelCase, as the script reads it).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DashboardSnapshot))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext
{
}
