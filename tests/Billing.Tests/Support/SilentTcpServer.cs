using System.Net;
using System.Net.Sockets;

namespace Billing.Tests.Support;

/// <summary>
/// A loopback port that accepts TCP connections and then never says a word: a database host that hangs (overloaded,
/// half-dead, or behind a firewall that drops packets) rather than refusing.
/// </summary>
internal sealed class SilentTcpServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> accepted = [];
    private readonly CancellationTokenSource stopping = new();

    private SilentTcpServer()
    {
        listener.Start();
        _ = AcceptForeverAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public static SilentTcpServer Start() => new();

    public void Dispose()
    {
        stopping.Cancel();
        listener.Stop();
        lock (accepted)
        {
            accepted.ForEach(socket => socket.Dispose());
        }

        stopping.Dispose();
    }

    private async Task AcceptForeverAsync()
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var socket = await listener.AcceptSocketAsync(stopping.Token);
                lock (accepted)
                {
                    accepted.Add(socket);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
