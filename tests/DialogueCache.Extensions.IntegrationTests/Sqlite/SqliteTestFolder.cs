namespace Dialogue.Caching.IntegrationTests.Sqlite;

/// <summary>A fresh temporary folder for one test's database files, deleted afterwards.</summary>
internal sealed class SqliteTestFolder : IDisposable
{
    public SqliteTestFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "dialogue-cache-sqlite-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>The default database file of the test.</summary>
    public string Db => PathOf("cache.db");

    public string PathOf(string name) => Path.Combine(Root, name);

    public static string ConnectionString(string path) => $"Data Source={path}";

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still be closing a file; the OS cleans the temp folder eventually.
        }
    }
}
