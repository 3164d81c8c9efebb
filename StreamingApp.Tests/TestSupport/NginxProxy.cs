using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// Debian's nginx running the repository's own <c>deploy/nginx.conf</c> (TLS with a self-signed certificate made by
/// openssl in a temp folder, WebSocket upgrade, sticky upstream, upload size) in front of an app on Kestrel. Its
/// listening sockets are bound here by the OS and handed to nginx (nginx's <c>NGINX</c> inherited-sockets variable):
/// HTTPS on port 443 of a loopback address of its own when this process may bind it, as a browser behind a real TLS
/// proxy sees it (origin <c>https://host</c>, no port), else on a port the OS picked.
/// </summary>
public sealed class NginxProxy : IDisposable
{
    private const string UpstreamLine = "# upstream servers";
    private const int FSetFd = 2;
    private const int FdCloexec = 1;
    private static readonly object SpawnLock = new();

    private readonly TempDirectory _dir = new();
    private readonly Socket _https;
    private readonly Socket _http;
    private readonly Process _nginx;
    private string _site = string.Empty;

    public NginxProxy(Uri upstream)
    {
        _https = BindHttps();
        var httpsEndPoint = (IPEndPoint)_https.LocalEndPoint!;
        _http = Bind(new IPEndPoint(httpsEndPoint.Address, 0));
        Address = httpsEndPoint.Address;
        BaseAddress = new Uri(httpsEndPoint.Port == 443 ? $"https://{Address}/" : $"https://{Address}:{httpsEndPoint.Port}/");
        Certificate = MakeCertificate();
        WriteConfiguration(upstream, httpsEndPoint, (IPEndPoint)_http.LocalEndPoint!);
        _nginx = StartNginx();
        WaitUntilServing();
    }

    /// <summary>https://127.x.y.z/ (or with a port when 443 could not be bound).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The loopback address nginx listens on.</summary>
    public IPAddress Address { get; }

    /// <summary>The self-signed certificate nginx presents; clients trust exactly this one.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The browser's view of the site: what its pages send as <c>Origin</c>.</summary>
    public string Origin => BaseAddress.GetLeftPart(UriPartial.Authority);

    public string ErrorLog => File.Exists(Path.Combine(_dir.Path, "error.log")) ? File.ReadAllText(Path.Combine(_dir.Path, "error.log")) : string.Empty;

    /// <summary>A handler that trusts this proxy's certificate, connecting from <paramref name="from"/> (127.0.0.1 by default).</summary>
    public SocketsHttpHandler CreateHandler(IPAddress? from = null)
    {
        var handler = LoopbackClient.From(from ?? IPAddress.Loopback);
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHashString() == Certificate.GetCertHashString();
        return handler;
    }

    public HttpClient CreateClient(IPAddress? from = null) => new(CreateHandler(from)) { BaseAddress = BaseAddress };

    /// <summary>wss:// of <paramref name="pathAndQuery"/> on this proxy.</summary>
    public Uri WebSocketUri(string pathAndQuery) => new(new UriBuilder(BaseAddress) { Scheme = "wss" }.Uri, pathAndQuery);

    /// <summary>
    /// Points nginx at another app instance and reloads it (SIGHUP, as <c>nginx -s reload</c>): what an operator does
    /// in a restart. Connections nginx already holds finish on the old upstream.
    /// </summary>
    public void Reroute(Uri upstream)
    {
        WriteSite(upstream);
        Signal("-HUP");
    }

    public void Dispose()
    {
        if (!_nginx.HasExited)
        {
            Signal("-TERM");
            if (!_nginx.WaitForExit(10_000))
            {
                _nginx.Kill(entireProcessTree: true);
            }
        }

        _nginx.Dispose();
        // Only now: nginx's copies of the listening sockets are closed, ours may go.
        _https.Dispose();
        _http.Dispose();
        Certificate.Dispose();
        _dir.Dispose();
    }

    private static Socket BindHttps()
    {
        // Port 443 of a loopback address nobody else uses (all of 127.0.0.0/8 is this machine). The OS says whether it
        // is free; without the privilege to bind it, a port the OS picks.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var address = new IPAddress([127, (byte)Random.Shared.Next(100, 200), (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(1, 255)]);
            try
            {
                return Bind(new IPEndPoint(address, 443));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AccessDenied)
            {
                return Bind(new IPEndPoint(address, 0));
            }
        }

        throw new InvalidOperationException("No free port 443 on 20 loopback addresses.");
    }

    private static Socket Bind(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endPoint);
            socket.Listen(512);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private X509Certificate2 MakeCertificate()
    {
        Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=streamingapp-test",
            "-addext", $"subjectAltName=IP:{Address}", "-keyout", Path.Combine(_dir.Path, "key.pem"), "-out", Path.Combine(_dir.Path, "cert.pem"));
        return X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_dir.Path, "cert.pem"));
    }

    /// <summary>The shipped site file with only its host-specific lines replaced (each must exist: the test runs what ships).</summary>
    private void WriteConfiguration(Uri upstream, IPEndPoint https, IPEndPoint http)
    {
        var site = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "deploy", "nginx.conf"));
        site = Replace(site, "include /etc/nginx/streamingapp.upstreams;", UpstreamLine);
        site = Replace(site, "listen 443 ssl http2;", $"listen {https} ssl http2;");
        site = Replace(site, "listen [::]:443 ssl http2;", string.Empty);
        site = Replace(site, "listen 80;", $"listen {http};");
        site = Replace(site, "listen [::]:80;", string.Empty);
        site = Replace(site, "/etc/ssl/streamingapp/fullchain.pem", Path.Combine(_dir.Path, "cert.pem"));
        site = Replace(site, "/etc/ssl/streamingapp/privkey.pem", Path.Combine(_dir.Path, "key.pem"));
        _site = site;
        WriteSite(upstream);

        // Worker processes run as an unprivileged user when nginx starts as root: they must be able to write here.
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Debian's nginx: Linux only.");
        }

        foreach (var temp in new[] { "body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            Directory.CreateDirectory(Path.Combine(_dir.Path, temp), (UnixFileMode)0b111_111_111);
        }

        var dir = _dir.Path;
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), $$"""
            daemon off;
            worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log notice;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{dir}}/body;
                proxy_temp_path {{dir}}/proxy;
                fastcgi_temp_path {{dir}}/fastcgi;
                uwsgi_temp_path {{dir}}/uwsgi;
                scgi_temp_path {{dir}}/scgi;
                include {{dir}}/site.conf;
            }
            """);
    }

    private void WriteSite(Uri upstream) =>
        File.WriteAllText(Path.Combine(_dir.Path, "site.conf"), _site.Replace(UpstreamLine, $"server {upstream.Authority};", StringComparison.Ordinal));

    private static string Replace(string text, string old, string replacement)
    {
        Assert.True(text.Contains(old, StringComparison.Ordinal), $"deploy/nginx.conf no longer has '{old}': update NginxProxy with it.");
        return text.Replace(old, replacement, StringComparison.Ordinal);
    }

    private Process StartNginx()
    {
        var start = new ProcessStartInfo(File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx")
        {
            ArgumentList = { "-p", _dir.Path, "-c", Path.Combine(_dir.Path, "nginx.conf"), "-e", Path.Combine(_dir.Path, "error.log") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var https = (int)_https.Handle;
        var http = (int)_http.Handle;
        start.Environment["NGINX"] = string.Create(CultureInfo.InvariantCulture, $"{https};{http};");

        // The sockets are inherited only across this start; other children (ffmpeg, Chromium) must not get them.
        lock (SpawnLock)
        {
            SetInheritable(https, true);
            SetInheritable(http, true);
            try
            {
                return Process.Start(start)!;
            }
            finally
            {
                SetInheritable(https, false);
                SetInheritable(http, false);
            }
        }
    }

    private void WaitUntilServing()
    {
        using var client = CreateClient();
        for (var i = 0; i < 300; i++)
        {
            if (_nginx.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with {_nginx.ExitCode}:\n{ErrorLog}{_nginx.StandardError.ReadToEnd()}");
            }

            try
            {
                // Any answer of the app will do (with sign-in on, 401): only nginx's own 502 means "not through yet".
                using var response = client.GetAsync("/v1/pipelines/list").GetAwaiter().GetResult();
                if (response.StatusCode is not (HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Thread.Sleep(100);
        }

        throw new InvalidOperationException("nginx did not serve the app within 30 s:\n" + ErrorLog);
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, _nginx.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static void Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} failed: {error}");
    }

    private static void SetInheritable(int fd, bool inheritable)
    {
        if (Fcntl(fd, FSetFd, inheritable ? 0 : FdCloexec) != 0)
        {
            throw new InvalidOperationException($"fcntl({fd}, F_SETFD) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);
}
