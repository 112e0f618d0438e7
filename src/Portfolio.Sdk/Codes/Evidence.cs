namespace Portfolio.Sdk.Codes;

/// <summary>How well a fact in the SDK's data is backed (證據等級), as tagged in the domain research.</summary>
public enum Evidence
{
    /// <summary>Not known: the value exists but its meaning was not found (<c>U</c>).</summary>
    Unknown = 0,

    /// <summary>Inferred from other evidence; to be verified (<c>I</c>).</summary>
    Inferred = 1,

    /// <summary>Confirmed by third-party code or pages, not by a 國教署 specification (<c>C-3p</c>).</summary>
    ConfirmedThirdParty = 2,

    /// <summary>Confirmed directly by the cited source (<c>C</c>).</summary>
    Confirmed = 3,
}
