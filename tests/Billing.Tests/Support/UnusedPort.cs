using System.Net;
using System.Net.Sockets;

namespace Billing.Tests.Support;

internal static class UnusedPort
{
    /// <summary>A loopback port nothing listens on (it was free a moment ago).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
