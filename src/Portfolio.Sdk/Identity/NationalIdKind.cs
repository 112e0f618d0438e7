namespace Portfolio.Sdk.Identity;

/// <summary>Which document a student key (身分證號 column) comes from.</summary>
public enum NationalIdKind
{
    /// <summary>國民身分證統一編號: a letter, 1 or 2, then eight digits.</summary>
    NationalIdentityCard = 1,

    /// <summary>舊式居留證統一證號 (before 2021): two letters, then eight digits.</summary>
    ResidentCertificateLegacy = 2,

    /// <summary>新式統一證號 (from 2021): a letter, 8 or 9, then eight digits.</summary>
    ResidentCertificate = 3,
}
