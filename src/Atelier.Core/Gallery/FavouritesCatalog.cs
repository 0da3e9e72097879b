using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Atelier.Gallery;

/// <summary>
/// The gallery's favourites in an embedded SQLite database. WAL journal with synchronous=FULL: a favourite is on
/// disk when <see cref="Add"/> returns, and a process killed at any moment loses nothing that was committed.
/// </summary>
public sealed class FavouritesCatalog : IDisposable
{
    private readonly SqliteConnection _connection;

    private FavouritesCatalog(SqliteConnection connection) => _connection = connection;

    public static FavouritesCatalog Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, "PRAGMA synchronous=FULL;");
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS favourites (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                run TEXT NOT NULL, checkpoint TEXT NOT NULL, weights TEXT NOT NULL,
                seed INTEGER NOT NULL, class INTEGER NULL, edits TEXT NULL, options TEXT NOT NULL,
                created TEXT NOT NULL, note TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS favourites_run ON favourites(run);
            """);
        // The rendered PNG is kept with the favourite, so the gallery still shows it after training prunes its checkpoint.
        using (var columns = connection.CreateCommand())
        {
            columns.CommandText = "SELECT COUNT(*) FROM pragma_table_info('favourites') WHERE name = 'image';";
            if ((long)columns.ExecuteScalar()! == 0) Execute(connection, "ALTER TABLE favourites ADD COLUMN image BLOB NULL;");
        }
        return new FavouritesCatalog(connection);
    }

    public string JournalMode => Scalar("PRAGMA journal_mode;");

    /// <param name="image">The PNG as it was rendered (with its provenance chunks), kept for display.</param>
    public long Add(Favourite f, byte[]? image = null)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            INSERT INTO favourites (run, checkpoint, weights, seed, class, edits, options, created, note, image)
            VALUES ($run, $checkpoint, $weights, $seed, $class, $edits, $options, $created, $note, $image);
            SELECT last_insert_rowid();
            """;
        command.Parameters.AddWithValue("$run", f.Run);
        command.Parameters.AddWithValue("$checkpoint", f.Checkpoint);
        command.Parameters.AddWithValue("$weights", f.Weights);
        command.Parameters.AddWithValue("$seed", f.Seed);
        command.Parameters.AddWithValue("$class", (object?)f.Class ?? DBNull.Value);
        command.Parameters.AddWithValue("$edits", (object?)f.Edits ?? DBNull.Value);
        command.Parameters.AddWithValue("$options", f.Options);
        command.Parameters.AddWithValue("$created", f.Created.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$note", f.Note);
        command.Parameters.AddWithValue("$image", (object?)image ?? DBNull.Value);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Favourites, newest first, optionally of one run only.</summary>
    public IReadOnlyList<Favourite> List(string? run = null) => run is null ? ListWhere("") : ListWhere("WHERE run = $run", ("$run", run));

    private List<Favourite> ListWhere(string where, params (string Name, object Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT id, run, checkpoint, weights, seed, class, edits, options, created, note FROM favourites {where} ORDER BY id DESC;";
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        var result = new List<Favourite>();
        while (reader.Read())
        {
            result.Add(new Favourite(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7),
                DateTimeOffset.Parse(reader.GetString(8), CultureInfo.InvariantCulture), reader.GetString(9)));
        }
        return result;
    }

    /// <summary>The PNG stored with a favourite, or null.</summary>
    public byte[]? Image(long id)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT image FROM favourites WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() is byte[] bytes ? bytes : null;
    }

    public Favourite? Get(long id) => ListWhere("WHERE id = $id", ("$id", id)).FirstOrDefault();

    public bool Delete(long id)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "DELETE FROM favourites WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery() == 1;
    }

    private string Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();
}
