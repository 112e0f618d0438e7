using Portfolio.Sdk.Data;

namespace Portfolio.Sdk.Submission.Ledger;

/// <summary>
/// The ledger's tables, as SQL for each dialect. The scripts in <c>schemas/sql/submission.*.sql</c> are this
/// output, checked in for DBAs; a test keeps them equal.
/// </summary>
public static class SubmissionLedgerSchema
{
    /// <summary>The submissions table.</summary>
    public const string SubmissionTable = "portfolio_submission";

    /// <summary>The receipt-rows table.</summary>
    public const string ReceiptRowTable = "portfolio_receipt_row";

    /// <summary>The confirmations table.</summary>
    public const string ConfirmationTable = "portfolio_confirmation";

    /// <summary>The schools' confirmation windows (收訖確認期間), one per school, book and term.</summary>
    public const string ConfirmationWindowTable = "portfolio_confirmation_window";

    /// <summary>The students' answers per receipt row and the staff's decisions on disputes.</summary>
    public const string ReceiptAnswerTable = "portfolio_receipt_answer";

    /// <summary>The hash-chained audit trail of the confirmation desk.</summary>
    public const string ReceiptAuditTable = "portfolio_receipt_audit";

    /// <summary>Gets the statements that create the tables in <paramref name="dialect"/>.</summary>
    /// <param name="dialect">The dialect.</param>
    /// <returns>The statements, in order, without trailing semicolons.</returns>
    public static IReadOnlyList<string> CreateStatements(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        string Q(string name) => dialect.QuoteIdentifier(name);
        var (text, bigint, integer, varchar, options) = (dialect.TextType, dialect.BigIntType, dialect.IntegerType, dialect.VarCharType, dialect.TableOptions);
        return
        [
            $"CREATE TABLE {Q(SubmissionTable)} ("
            + $"{Q("idempotency_key")} {varchar}(64) NOT NULL PRIMARY KEY, {Q("school_code")} {varchar}(6) NOT NULL, {Q("book")} {varchar}(50) NOT NULL, "
            + $"{Q("school_year")} {integer} NOT NULL, {Q("term")} {integer} NOT NULL, {Q("revision")} {integer} NOT NULL, {Q("corrects")} {varchar}(64), "
            + $"{Q("content_kind")} {integer} NOT NULL, {Q("sha256")} CHAR(64) NOT NULL, {Q("length")} {bigint} NOT NULL, {Q("state")} {integer} NOT NULL, "
            + $"{Q("attempts")} {integer} NOT NULL, {Q("gateway_id")} {varchar}(100), {Q("receipt_id")} {varchar}(100), {Q("accepted_rows")} {integer} NOT NULL, "
            + $"{Q("rejected_rows")} {integer} NOT NULL, {Q("diagnostics_json")} {text}, {Q("last_error")} {text}, {Q("confirm_until")} {integer}, "
            + $"{Q("created_ticks")} {bigint} NOT NULL, {Q("updated_ticks")} {bigint} NOT NULL, {Q("version")} {bigint} NOT NULL){options}",
            $"CREATE UNIQUE INDEX {Q("ux_submission_identity")} ON {Q(SubmissionTable)} ({Q("school_code")}, {Q("book")}, {Q("school_year")}, {Q("term")}, {Q("revision")})",
            $"CREATE INDEX {Q("ix_submission_state")} ON {Q(SubmissionTable)} ({Q("state")}, {Q("school_code")})",
            $"CREATE TABLE {Q(ReceiptRowTable)} ("
            + $"{Q("idempotency_key")} {varchar}(64) NOT NULL, {Q("ordinal")} {integer} NOT NULL, {Q("student_key")} {varchar}(50) NOT NULL, "
            + $"{Q("sheet")} {varchar}(50) NOT NULL, {Q("row_key")} {text} NOT NULL, {Q("values_json")} {text} NOT NULL, "
            + $"PRIMARY KEY ({Q("idempotency_key")}, {Q("ordinal")})){options}",
            $"CREATE TABLE {Q(ConfirmationTable)} ("
            + $"{Q("idempotency_key")} {varchar}(64) NOT NULL, {Q("student_key")} {varchar}(50) NOT NULL, {Q("decision")} {integer} NOT NULL, "
            + $"{Q("note")} {text}, {Q("at_ticks")} {bigint} NOT NULL, PRIMARY KEY ({Q("idempotency_key")}, {Q("student_key")})){options}",
            $"CREATE INDEX {Q("ix_receipt_row_student")} ON {Q(ReceiptRowTable)} ({Q("idempotency_key")}, {Q("student_key")})",
            $"CREATE TABLE {Q(ConfirmationWindowTable)} ("
            + $"{Q("school_code")} {varchar}(6) NOT NULL, {Q("book")} {varchar}(50) NOT NULL, {Q("school_year")} {integer} NOT NULL, {Q("term")} {integer} NOT NULL, "
            + $"{Q("first_day")} {integer} NOT NULL, {Q("last_day")} {integer} NOT NULL, {Q("set_by")} {varchar}(100) NOT NULL, {Q("set_ticks")} {bigint} NOT NULL, "
            + $"PRIMARY KEY ({Q("school_code")}, {Q("book")}, {Q("school_year")}, {Q("term")})){options}",
            $"CREATE TABLE {Q(ReceiptAnswerTable)} ("
            + $"{Q("idempotency_key")} {varchar}(64) NOT NULL, {Q("ordinal")} {integer} NOT NULL, {Q("student_key")} {varchar}(50) NOT NULL, "
            + $"{Q("decision")} {integer} NOT NULL, {Q("note")} {text}, {Q("answered_by")} {varchar}(100) NOT NULL, {Q("answered_ticks")} {bigint} NOT NULL, "
            + $"{Q("verdict")} {integer}, {Q("reason")} {text}, {Q("decided_by")} {varchar}(100), {Q("decided_ticks")} {bigint}, {Q("correction_key")} {varchar}(64), "
            + $"PRIMARY KEY ({Q("idempotency_key")}, {Q("ordinal")})){options}",
            $"CREATE TABLE {Q(ReceiptAuditTable)} ("
            + $"{Q("sequence")} {bigint} NOT NULL PRIMARY KEY, {Q("at_utc_ticks")} {bigint} NOT NULL, {Q("actor_id")} {varchar}(100) NOT NULL, "
            + $"{Q("action")} {varchar}(100) NOT NULL, {Q("entity_type")} {varchar}(50) NOT NULL, {Q("entity_id")} {varchar}(100) NOT NULL, "
            + $"{Q("before_json")} {text}, {Q("after_json")} {text}, {Q("previous_hash")} CHAR(64) NOT NULL, {Q("hash")} CHAR(64) NOT NULL){options}",
        ];
    }

    /// <summary>Gets the whole script for a dialect, as checked in under <c>schemas/sql/</c>.</summary>
    /// <param name="dialect">The dialect.</param>
    /// <returns>The script.</returns>
    public static string Script(SqlDialect dialect) =>
        $"-- Portfolio.Sdk submission ledger tables for {dialect.Name}. Generated by SubmissionLedgerSchema.Script; do not edit by hand.\n"
        + string.Concat(CreateStatements(dialect).Select(s => s + ";\n"));
}
