using System.Text;

namespace Moat.Bench.Trust.Reporting;

/// <summary>Rows of text cells, written as an aligned plain-text table or as a Markdown table.</summary>
internal sealed class Table(params string[] header)
{
    private readonly List<string[]> rows = [];

    public Table Add(params string[] cells)
    {
        rows.Add(cells);
        return this;
    }

    public string ToText(string indent = "  ")
    {
        var all = rows.Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(c => all.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            text.Append(indent);
            for (var c = 0; c < header.Length; c++)
            {
                var cell = c < row.Length ? row[c] : string.Empty;
                text.Append(c == 0 ? cell.PadRight(widths[c]) : "  " + cell.PadLeft(widths[c]));
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Concat(header.Select((_, c) => c == 0 ? "---|" : "---:|")));
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        return text.ToString();
    }
}
