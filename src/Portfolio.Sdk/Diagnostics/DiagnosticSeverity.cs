namespace Portfolio.Sdk.Diagnostics;

/// <summary>How serious a <see cref="Diagnostic"/> is (嚴重程度).</summary>
public enum DiagnosticSeverity
{
    /// <summary>Information only; nothing needs to change (資訊).</summary>
    Info = 0,

    /// <summary>Probably wrong or poor practice, but the data can still be submitted (警告).</summary>
    Warning = 1,

    /// <summary>The data is wrong and must not be submitted as it is (錯誤).</summary>
    Error = 2,
}
