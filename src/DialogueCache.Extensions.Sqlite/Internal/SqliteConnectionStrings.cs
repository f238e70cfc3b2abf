using Microsoft.Data.Sqlite;

namespace Dialogue.Caching.Sqlite.Internal;

/// <summary>Checks and adjusts the connection strings given to the store.</summary>
internal static class SqliteConnectionStrings
{
    /// <summary>Throws an <see cref="ArgumentException"/> unless <paramref name="connectionString"/> names a database file.</summary>
    public static void ValidateFile(string connectionString, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString, paramName);
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new ArgumentException($"The SQLite connection string is not valid: {exception.Message}", paramName, exception);
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            throw new ArgumentException("The SQLite connection string names no file: give it a Data Source, e.g. \"Data Source=dialogue-cache.db\".", paramName);
        }

        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource.Equals(":memory:", StringComparison.OrdinalIgnoreCase)
            || builder.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The SQLite store keeps the cache across restarts and needs a file path as Data Source (was '{builder.DataSource}').", paramName);
        }
    }

    /// <summary>Makes a relative Data Source relative to <paramref name="baseDirectory"/> (the application's content root).</summary>
    public static string ResolveRelativeTo(string connectionString, string? baseDirectory)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (baseDirectory is null || Path.IsPathRooted(builder.DataSource))
        {
            return connectionString;
        }

        builder.DataSource = Path.Combine(baseDirectory, builder.DataSource);
        return builder.ToString();
    }
}
