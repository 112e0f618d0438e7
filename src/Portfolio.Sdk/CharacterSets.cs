using System.Buffers;

namespace Portfolio.Sdk;

/// <summary>Character sets used by the code parsers.</summary>
internal static class CharacterSets
{
    public static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    public static readonly SearchValues<char> DigitsAndUpperLetters = SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    public static bool AllDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(Digits);

    public static bool AllDigitsOrUpperLetters(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(DigitsAndUpperLetters);
}
