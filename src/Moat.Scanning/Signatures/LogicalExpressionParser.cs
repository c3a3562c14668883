namespace Moat.Scanning.Signatures;

/// <summary>
/// Parses .ldb logical expressions: subsignature numbers, "&amp;", "|", parentheses, and count
/// comparisons "=n", "&gt;n", "&lt;n" after a number or a parenthesised group. "&amp;" binds tighter
/// than "|". ClamAV's two-number form "&gt;n,m" throws <see cref="NotSupportedException"/>.
/// </summary>
internal sealed class LogicalExpressionParser
{
    private readonly string _text;
    private int _position;

    private LogicalExpressionParser(string text)
    {
        _text = text;
    }

    public static LogicalExpression Parse(string text)
    {
        var parser = new LogicalExpressionParser(text);
        var expression = parser.ParseOr();
        if (parser._position != text.Length)
        {
            throw new FormatException($"logical expression '{text}': unexpected '{text[parser._position]}' at position {parser._position}");
        }

        return expression;
    }

    private LogicalExpression ParseOr()
    {
        var operands = new List<LogicalExpression> { ParseAnd() };
        while (Peek() == '|')
        {
            _position++;
            operands.Add(ParseAnd());
        }

        return operands.Count == 1 ? operands[0] : new LogicalOr(operands);
    }

    private LogicalExpression ParseAnd()
    {
        var operands = new List<LogicalExpression> { ParsePrimary() };
        while (Peek() == '&')
        {
            _position++;
            operands.Add(ParsePrimary());
        }

        return operands.Count == 1 ? operands[0] : new LogicalAnd(operands);
    }

    private LogicalExpression ParsePrimary()
    {
        LogicalExpression primary;
        if (Peek() == '(')
        {
            _position++;
            primary = ParseOr();
            if (Peek() != ')')
            {
                throw new FormatException($"logical expression '{_text}': missing ')' at position {_position}");
            }

            _position++;
        }
        else
        {
            primary = new LogicalSubsignature(ParseNumber());
        }

        if (Peek() is '=' or '>' or '<')
        {
            var comparison = _text[_position++];
            var number = ParseNumber();
            if (Peek() == ',')
            {
                throw new NotSupportedException($"logical expression '{_text}': the two-number count form '{comparison}n,m' is not supported");
            }

            primary = new LogicalCount(primary, comparison, number);
        }

        return primary;
    }

    private int ParseNumber()
    {
        var start = _position;
        while (_position < _text.Length && char.IsAsciiDigit(_text[_position]))
        {
            _position++;
        }

        if (start == _position || !int.TryParse(_text.AsSpan(start, _position - start), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            var what = _position < _text.Length ? $"'{_text[_position]}'" : "the end";
            throw new FormatException($"logical expression '{_text}': expected a number at position {start}, found {what}");
        }

        return value;
    }

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';
}
