using System.Globalization;

namespace StreamingApp.Core.Jobs;

/// <summary>
/// The versioned schema scripts embedded from <c>Jobs/Migrations/&lt;Store&gt;/NNNN_name.sql</c>, in number order.
/// A change to the schema is a new script with the next number; an applied script is never edited.
/// </summary>
internal static class JobSchemaScripts
{
    public static IReadOnlyList<(int Number, string Sql)> For(JobStoreKind store)
    {
        var prefix = $"StreamingApp.Core.Jobs.Migrations.{store}.";
        var assembly = typeof(JobSchemaScripts).Assembly;
        var scripts = new List<(int Number, string Sql)>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            // Resource names of files starting with a digit get a leading underscore: "_0001_init.sql".
            var file = name[prefix.Length..].TrimStart('_');
            var number = int.Parse(file.AsSpan(0, file.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            scripts.Add((number, reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Number.CompareTo(b.Number));
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Number != i + 1)
            {
                throw new InvalidOperationException($"The {store} schema scripts must be numbered 1, 2, 3…; script {i + 1} is missing.");
            }
        }

        return scripts;
    }
}
