using System.Net;
using Moat.Testing;

namespace Moat.Scanning.Tests.Updates;

/// <summary>A tiny HTTP server on 127.0.0.1 serving the files of one folder (404 for anything else).</summary>
internal sealed class LoopbackFileServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _folder;
    private readonly Task _loop;

    public LoopbackFileServer(string folder)
    {
        _folder = folder;
        var port = FreePort.Get();
        BaseUrl = $"http://127.0.0.1:{port}/mirror/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    public int Requests { get; private set; }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was stopped under a pending GetContextAsync.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Requests++;
            var name = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath["/mirror/".Length..]);
            var path = Path.Combine(_folder, name);
            if (name.Contains('/') || !File.Exists(path))
            {
                context.Response.StatusCode = 404;
            }
            else
            {
                var bytes = await File.ReadAllBytesAsync(path);
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
            }

            context.Response.Close();
        }
    }
}
