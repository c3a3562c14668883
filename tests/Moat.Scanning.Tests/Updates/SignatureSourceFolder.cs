using System.Security.Cryptography;
using System.Text;

namespace Moat.Scanning.Tests.Updates;

/// <summary>Writes database files and a matching manifest.sha256 into a folder, like a signature mirror.</summary>
internal static class SignatureSourceFolder
{
    public static void Publish(string folder, params (string Name, string Content)[] files)
    {
        Directory.CreateDirectory(folder);
        foreach (var old in Directory.GetFiles(folder))
        {
            File.Delete(old);
        }

        var manifest = new StringBuilder();
        foreach (var (name, content) in files)
        {
            var bytes = Encoding.UTF8.GetBytes(content);
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
            manifest.Append(Convert.ToHexStringLower(SHA256.HashData(bytes))).Append("  ").Append(name).Append('\n');
        }

        File.WriteAllText(Path.Combine(folder, "manifest.sha256"), manifest.ToString());
    }
}
