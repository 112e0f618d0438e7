namespace Portfolio.Sdk.Tests.Infrastructure;

/// <summary>
/// An independent implementation of the ID check digit, written from the Ministry of the Interior's published
/// description (letter table, then weights 1 9 8 7 6 5 4 3 2 1 1), used as an oracle for the SDK's parser.
/// </summary>
public static class ReferenceIds
{
    private static readonly Dictionary<char, int> Letters = new()
    {
        ['A'] = 10, ['B'] = 11, ['C'] = 12, ['D'] = 13, ['E'] = 14, ['F'] = 15, ['G'] = 16, ['H'] = 17, ['I'] = 34,
        ['J'] = 18, ['K'] = 19, ['L'] = 20, ['M'] = 21, ['N'] = 22, ['O'] = 35, ['P'] = 23, ['Q'] = 24, ['R'] = 25,
        ['S'] = 26, ['T'] = 27, ['U'] = 28, ['V'] = 29, ['W'] = 32, ['X'] = 30, ['Y'] = 31, ['Z'] = 33,
    };

    private static readonly int[] Weights = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1];

    public static IReadOnlyCollection<char> FirstLetters => Letters.Keys;

    /// <summary>Whether a 10-character ID satisfies the checksum (second character already validated).</summary>
    public static bool ChecksumHolds(string id)
    {
        var letter = Letters[id[0]];
        var second = char.IsLetter(id[1]) ? Letters[id[1]] % 10 : id[1] - '0';
        var digits = new List<int> { letter / 10, letter % 10, second };
        digits.AddRange(id[2..].Select(c => c - '0'));
        var sum = digits.Select((d, i) => d * Weights[i]).Sum();
        return sum % 10 == 0;
    }

    /// <summary>Completes nine characters with the digit that makes the checksum hold.</summary>
    public static string Complete(string firstNine) =>
        Enumerable.Range(0, 10).Select(d => firstNine + d).Single(ChecksumHolds);
}
