using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Moat.Testing;

namespace Moat.Audit.Tests.Support;

/// <summary>
/// A private Postfix (Debian's postfix package) on 127.0.0.1 and a free port, with its own
/// config_directory, queue_directory and data_directory in a temp folder, started with
/// "postfix -c DIR start" (needs root) and stopped with "postfix -c DIR stop"; any process left
/// over is then ended by PID. Nothing it accepts is ever delivered: default_transport is discard,
/// and the audit never sends DATA anyway. See <see cref="PostfixProfile"/> for the two setups.
/// </summary>
public sealed class PostfixServer : IDisposable
{
    public const string Executable = "/usr/sbin/postfix";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly TempFolder _folder;
    private int _masterPid;
    private bool _disposed;

    private PostfixServer(TempFolder folder, PostfixProfile profile, string domain, int port)
    {
        _folder = folder;
        Profile = profile;
        Domain = domain;
        Port = port;
    }

    public PostfixProfile Profile { get; }

    public string Host => "127.0.0.1";

    public IPAddress Address => IPAddress.Loopback;

    public int Port { get; }

    /// <summary>The domain the server receives for (in mydestination).</summary>
    public string Domain { get; }

    /// <summary>myhostname, and the name in the hardened profile's certificate.</summary>
    public string HostName => "mx." + Domain;

    /// <summary>mail_version, as the leaky banner shows it.</summary>
    public string Version { get; private set; } = string.Empty;

    public string ConfigDirectory => _folder.Combine("etc");

    public string? CertificatePath => Profile == PostfixProfile.Hardened ? _folder.Combine("etc", "cert.pem") : null;

    /// <summary>Postfix's log (maillog_file), for failure messages.</summary>
    public string Log
    {
        get
        {
            try
            {
                return File.ReadAllText(_folder.Combine("maillog"));
            }
            catch (IOException)
            {
                return string.Empty;
            }
        }
    }

    public static async Task<PostfixServer> StartAsync(PostfixProfile profile, PostfixServerOptions? options = null)
    {
        options ??= new PostfixServerOptions();
        TestPrerequisites.RequireExecutable(Executable, "postfix");
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("PostfixServer needs root: 'postfix start' runs the master as root.");
        }

        var domain = options.Domain ?? (profile == PostfixProfile.Leaky ? "audit-leaky.test" : "audit-hardened.test");
        var folder = new TempFolder("moat-postfix");
        var server = new PostfixServer(folder, profile, domain, FreePort.Get());
        try
        {
            await server.StartAsync(options);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        var children = _masterPid > 0 ? ChildrenOf(_masterPid) : [];
        try
        {
            Run(Executable, ["-c", ConfigDirectory, "stop"], TimeSpan.FromSeconds(30));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Not started, or stuck: the processes are ended by PID below.
        }

        if (_masterPid > 0)
        {
            EndByPid(_masterPid);
        }

        // The daemons the master started exit on their own once it is gone; any that do not are ended by PID.
        foreach (var child in children)
        {
            EndByPid(child);
        }

        _folder.Dispose();
    }

    private async Task StartAsync(PostfixServerOptions options)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Postfix runs on Unix only");
        }

        // Postfix's daemons run as the postfix user and must reach their folders.
        var etc = ConfigDirectory;
        var queue = _folder.Combine("queue");
        var data = _folder.Combine("data");
        foreach (var path in new[] { _folder.Path, etc, queue, data })
        {
            Directory.CreateDirectory(path);
            File.SetUnixFileMode(path, (UnixFileMode)0x1ED); // 0755
        }

        Run("/bin/chown", ["postfix:postfix", data], CommandTimeout);
        if (Profile == PostfixProfile.Hardened)
        {
            Run("/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=" + HostName, "-addext", "subjectAltName=DNS:" + HostName,
                "-keyout", Path.Combine(etc, "key.pem"), "-out", Path.Combine(etc, "cert.pem"),
            ], CommandTimeout);
            File.SetUnixFileMode(Path.Combine(etc, "key.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await File.WriteAllTextAsync(Path.Combine(etc, "main.cf"), MainCf(options));
        await File.WriteAllTextAsync(Path.Combine(etc, "master.cf"), MasterCf());
        Run(Executable, ["-c", etc, "check"], CommandTimeout);
        Run(Executable, ["-c", etc, "start"], CommandTimeout);
        _masterPid = await WaitForMasterAsync(Path.Combine(queue, "pid", "master.pid"));
        Version = Run("/usr/sbin/postconf", ["-c", etc, "-h", "mail_version"], CommandTimeout).Trim();
        await WaitForGreetingAsync();
    }

    private string MainCf(PostfixServerOptions options)
    {
        var root = _folder.Path;
        var config = new StringBuilder();
        config.AppendLine(CultureInfo.InvariantCulture, $"""
            # Throwaway Postfix for Moat's audit tests ({Profile}); everything not set here is Postfix's default.
            compatibility_level = 3.6
            config_directory = {root}/etc
            queue_directory = {root}/queue
            data_directory = {root}/data
            mail_owner = postfix
            setgid_group = postdrop
            myhostname = {HostName}
            mydomain = {Domain}
            myorigin = $mydomain
            mydestination = $myhostname, $mydomain, localhost
            alias_maps =
            alias_database =
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            smtpd_peername_lookup = no
            smtp_dns_support_level = disabled
            default_transport = discard
            relayhost =
            maillog_file = {root}/maillog
            maillog_file_prefixes = {root}
            biff = no
            smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
            """);
        if (Profile == PostfixProfile.Leaky)
        {
            config.AppendLine("""
                smtpd_banner = $myhostname ESMTP $mail_name $mail_version (Debian)
                disable_vrfy_command = no
                mynetworks = 127.0.0.0/8
                smtpd_tls_security_level = none
                """);
        }
        else
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"""
                disable_vrfy_command = yes
                mynetworks = 192.0.2.0/24
                smtpd_tls_security_level = may
                smtpd_tls_cert_file = {root}/etc/cert.pem
                smtpd_tls_key_file = {root}/etc/key.pem
                smtpd_tls_loglevel = 1
                """);
            config.AppendLine(options.LegacyTls
                ? """
                  smtpd_tls_protocols = >=TLSv1
                  smtpd_tls_mandatory_protocols = >=TLSv1
                  tls_medium_cipherlist = aNULL:-aNULL:HIGH:MEDIUM:@SECLEVEL=0
                  """
                : """
                  smtpd_tls_protocols = >=TLSv1.2
                  smtpd_tls_mandatory_protocols = >=TLSv1.2
                  """);
        }

        if (options.Banner is not null)
        {
            config.AppendLine("smtpd_banner = " + options.Banner);
        }

        return config.ToString();
    }

    private string MasterCf() => $"""
        # chroot (5th column) is n everywhere; smtpd listens on a loopback port only.
        127.0.0.1:{Port} inet n - n - 10 smtpd
        pickup     unix  n - n 60    1 pickup
        cleanup    unix  n - n -     0 cleanup
        qmgr       unix  n - n 300   1 qmgr
        tlsmgr     unix  - - n 1000? 1 tlsmgr
        rewrite    unix  - - n -     - trivial-rewrite
        bounce     unix  - - n -     0 bounce
        defer      unix  - - n -     0 bounce
        trace      unix  - - n -     0 bounce
        verify     unix  - - n -     1 verify
        flush      unix  n - n 1000? 0 flush
        proxymap   unix  - - n -     - proxymap
        proxywrite unix  - - n -     1 proxymap
        smtp       unix  - - n -     - smtp
        relay      unix  - - n -     - smtp
        showq      unix  n - n -     - showq
        error      unix  - - n -     - error
        retry      unix  - - n -     - error
        discard    unix  - - n -     - discard
        local      unix  - n n -     - local
        anvil      unix  - - n -     1 anvil
        scache     unix  - - n -     1 scache
        postlog    unix-dgram n - n - 1 postlogd

        """;

    private async Task<int> WaitForMasterAsync(string pidFile)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(pidFile)
                && int.TryParse((await ReadLockedAsync(pidFile)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid > 0)
            {
                return pid;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("Postfix wrote no master.pid: " + Log);
    }

    /// <summary>Waits until smtpd answers with its greeting (the master may throttle a failing smtpd for a minute, so this fails fast with the log instead).</summary>
    private async Task WaitForGreetingAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient { NoDelay = true };
                await client.ConnectAsync(Address, Port);
                using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
                var read = reader.ReadLineAsync();
                if (await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(5))) == read && (await read)?.StartsWith("220", StringComparison.Ordinal) == true)
                {
                    var stream = client.GetStream();
                    await stream.WriteAsync("QUIT\r\n"u8.ToArray());
                    return;
                }
            }
            catch (SocketException)
            {
            }
            catch (IOException)
            {
            }

            if (DateTime.UtcNow > deadline || Log.Contains("fatal:", StringComparison.Ordinal))
            {
                throw new TimeoutException($"Postfix smtpd does not greet on port {Port}: {Log}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The master holds an exclusive lock on its pid file, and .NET takes a shared lock on every
    /// file it opens (whatever the FileShare), so the file is read by cat instead.
    /// </summary>
    private static Task<string> ReadLockedAsync(string path) => Task.FromResult(Run("/bin/cat", [path], CommandTimeout));

    private static string Run(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + fileName);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {output.Result}{error.Result}");
        }

        return output.Result;
    }

    private static List<int> ChildrenOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/task/{pid}/children")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => int.Parse(p, CultureInfo.InvariantCulture))
                .ToList();
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>Waits up to 10 s for the process to go, then kills it; only PIDs this server started.</summary>
    private static void EndByPid(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill();
                process.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
        }
    }
}
