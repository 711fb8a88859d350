using System.Net.Sockets;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Says why PostgreSQL failed in words fit for a probe's answer: the kind of failure, never Npgsql's message,
/// which names hosts, ports and users.
/// </summary>
internal static class PostgresFailure
{
    public static string Describe(NpgsqlException exception) => exception switch
    {
        PostgresException postgres => $"PostgreSQL answered with error SQLSTATE {postgres.SqlState}.",
        { InnerException: SocketException socket } => $"PostgreSQL is unreachable ({socket.SocketErrorCode}).",
        { InnerException: TimeoutException } => "PostgreSQL did not answer in time.",
        _ => "PostgreSQL is unreachable.",
    };
}
