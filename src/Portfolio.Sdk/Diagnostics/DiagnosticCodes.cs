namespace Portfolio.Sdk.Diagnostics;

/// <summary>
/// The stable diagnostic codes (診斷代碼) of the SDK's domain core. Codes are grouped by hundreds:
/// <c>PF01xx</c> 身分證號, <c>PF02xx</c> 學年度/學期, <c>PF03xx</c> 學校代碼, <c>PF04xx</c> 課程代碼,
/// <c>PF05xx</c> code tables, <c>PF10xx</c> roster workbooks, <c>PF11xx</c> roster cell values, <c>PF12xx</c> roster row rules, <c>PF13xx</c> upload packages and files, <c>PF20xx</c> SIS mapping profiles, <c>PF21xx</c> SIS values, <c>PF22xx</c> bulk import, <c>PF31xx</c> certification, selection and permissions, <c>PF30xx</c> policy, <c>PF32xx</c> the audit trail, <c>PF33xx</c> uploads, <c>PF34xx</c> the file store, <c>PF40xx</c> the central-database gateway, <c>PF41xx</c> 收訖明細 receipts, <c>PF42xx</c> reconciliation, <c>PF43xx</c> confirmation and submission states, <c>PF50xx</c> the HTTP endpoints (Portfolio.Sdk.AspNetCore), <c>PF36xx</c> admission preparation, <c>PF44xx</c> the confirmation desk (per-row answers, disputes, corrections), <c>PF61xx</c> printed documents (確認單), <c>PF35xx</c> guardians and notices, <c>PF37xx</c> the standard roster source of the scheduled jobs. A code is never reused for another meaning.
/// </summary>
public static class DiagnosticCodes
{
    /// <summary>The national ID is empty.</summary>
    public const string NationalIdEmpty = "PF0101";

    /// <summary>The national ID does not have 10 characters.</summary>
    public const string NationalIdLength = "PF0102";

    /// <summary>The first character is not a letter A–Z.</summary>
    public const string NationalIdFirstLetter = "PF0103";

    /// <summary>The second character fits none of the ID formats.</summary>
    public const string NationalIdSecondCharacter = "PF0104";

    /// <summary>Characters 3 to 10 are not all digits.</summary>
    public const string NationalIdDigits = "PF0105";

    /// <summary>The check digit does not match.</summary>
    public const string NationalIdCheckDigit = "PF0106";

    /// <summary>The ID was trimmed or upper-cased before validation (information).</summary>
    public const string NationalIdNormalised = "PF0107";

    /// <summary>A school year is not a number.</summary>
    public const string SchoolYearFormat = "PF0201";

    /// <summary>A school year is out of range.</summary>
    public const string SchoolYearRange = "PF0202";

    /// <summary>A term is not 0, 1 or 2.</summary>
    public const string TermInvalid = "PF0203";

    /// <summary>A school term is not written as <c>year-term</c>.</summary>
    public const string SchoolTermFormat = "PF0204";

    /// <summary>The school code is empty.</summary>
    public const string SchoolCodeEmpty = "PF0301";

    /// <summary>The school code does not have 6 characters.</summary>
    public const string SchoolCodeLength = "PF0302";

    /// <summary>The school code has characters other than digits and upper-case letters.</summary>
    public const string SchoolCodeCharacters = "PF0303";

    /// <summary>The school code is a test or administrative code.</summary>
    public const string SchoolCodeTest = "PF0304";

    /// <summary>The course code is empty.</summary>
    public const string CourseCodeEmpty = "PF0401";

    /// <summary>The course code does not have 23 characters.</summary>
    public const string CourseCodeLength = "PF0402";

    /// <summary>A course-code character is not a digit or an upper-case letter.</summary>
    public const string CourseCodeCharacters = "PF0403";

    /// <summary>The cohort-year segment is not 3 digits.</summary>
    public const string CourseCodeCohortYear = "PF0404";

    /// <summary>The school-code segment is invalid.</summary>
    public const string CourseCodeSchool = "PF0405";

    /// <summary>A segment value is not in a complete (closed) code table.</summary>
    public const string CourseCodeSegmentUnknown = "PF0406";

    /// <summary>A segment value is not in an incomplete (open) code table.</summary>
    public const string CourseCodeSegmentUnlisted = "PF0407";

    /// <summary>Course category 8 or 9 without subject attribute D: grades are not submitted.</summary>
    public const string CourseCodeGroupActivityAttribute = "PF0408";

    /// <summary>A code is not in a complete (closed) code table.</summary>
    public const string CodeUnknown = "PF0501";

    /// <summary>A code is not among the known codes of an incomplete (open) code table.</summary>
    public const string CodeUnlisted = "PF0502";

    /// <summary>A code-table file cannot be read.</summary>
    public const string CodeTableFileInvalid = "PF0503";

    /// <summary>A code is defined twice in one table.</summary>
    public const string CodeTableDuplicate = "PF0504";

    /// <summary>A code table does not exist.</summary>
    public const string CodeTableMissing = "PF0505";

    /// <summary>A code-table file holds a key the format does not have.</summary>
    public const string CodeTableFileUnknownKey = "PF0506";

    /// <summary>The workbook cannot be read: ….</summary>
    public const string WorkbookUnreadable = "PF1001";

    /// <summary>The workbook is not a known roster book (sheets: …).</summary>
    public const string BookUnrecognised = "PF1002";

    /// <summary>The cover sheet (school code, school year, term) is missing.</summary>
    public const string CoverMissing = "PF1003";

    /// <summary>… is a … book: the cover term must be …; got ….</summary>
    public const string CoverTermCadence = "PF1004";

    /// <summary>The cover's school code … is a test or administrative code and cannot be submitted.</summary>
    public const string CoverTestSchool = "PF1005";

    /// <summary>The book has no sheet "…".</summary>
    public const string SheetMissing = "PF1006";

    /// <summary>Sheet "…" is not part of … and was skipped.</summary>
    public const string SheetUnknown = "PF1007";

    /// <summary>A sheet's name differs from the catalogue's only in spaces, full-width or invisible characters; it was read as the catalogue's.</summary>
    public const string SheetNameApproximate = "PF1012";

    /// <summary>Column "…" is missing.</summary>
    public const string ColumnMissing = "PF1008";

    /// <summary>Column "…" is not in the … layout and was skipped.</summary>
    public const string ColumnUnknown = "PF1009";

    /// <summary>Columns are out of order: column … should be "…" but is "…".</summary>
    public const string ColumnOrder = "PF1010";

    /// <summary>The roster catalogue file is invalid: ….</summary>
    public const string CatalogueFileInvalid = "PF1011";

    /// <summary>"…" is required.</summary>
    public const string ValueRequired = "PF1101";

    /// <summary>"…" must be a number; got "…".</summary>
    public const string ValueNotNumber = "PF1102";

    /// <summary>"…" must be a whole number; got "…".</summary>
    public const string ValueNotInteger = "PF1103";

    /// <summary>"…" is …, outside …–….</summary>
    public const string ValueOutOfRange = "PF1104";

    /// <summary>"…" is not a valid date; got "…".</summary>
    public const string DateInvalid = "PF1105";

    /// <summary>"…" must be a score from 0 to 100, or -1 for none; got "…".</summary>
    public const string ScoreInvalid = "PF1106";

    /// <summary>"…" (credits or periods) must be a non-negative number; got "…".</summary>
    public const string CreditsNotNumeric = "PF1107";

    /// <summary>"…" must be sorted, without duplicates or empty items: "…" should be "…".</summary>
    public const string CodeListNotNormalised = "PF1108";

    /// <summary>"…" allows at most … characters; got ….</summary>
    public const string TextTooLong = "PF1109";

    /// <summary>"…" must be 32 hexadecimal characters.</summary>
    public const string Md5Invalid = "PF1110";

    /// <summary>"…" must be an absolute https link.</summary>
    public const string UrlInvalid = "PF1111";

    /// <summary>A code lost its leading zeros (a spreadsheet turned it into a number); the diagnostic gives the code it should be.</summary>
    public const string LeadingZerosLost = "PF1112";

    /// <summary>A date range ends before it starts (結束日期早於開始日期).</summary>
    public const string DateRangeInverted = "PF1113";

    /// <summary>A term field (實際修課學期 and the like) is outside the roster's school year or term.</summary>
    public const string TermOutsideBook = "PF1114";

    /// <summary>A pass flag contradicts its score under the pass mark (及格基準) of the grade's 學制 in the policy.</summary>
    public const string PassFlagAgainstPassMark = "PF1115";

    /// <summary>A per-year package item's row failed the roster checks and was left out of the package.</summary>
    public const string YearPackageRowInvalid = "PF1116";

    /// <summary>A per-year package item has more evidence files than its sheet has link columns; it was left out.</summary>
    public const string YearPackageTooManyFiles = "PF1117";

    /// <summary>A per-year package item has no evidence file, or one of a type the package refuses; it was left out.</summary>
    public const string YearPackageEvidenceUnusable = "PF1118";

    /// <summary>A packaged item could not be locked after the package's submission.</summary>
    public const string YearPackageLockRefused = "PF1119";

    /// <summary>Grades for course category … (group activity / flexible learning) are submitted only with subject attribute D; this row has "…".</summary>
    public const string GroupActivityWithoutD = "PF1201";

    /// <summary>A category 8/9 course with attribute D must have credit counting 3; got "…".</summary>
    public const string GroupActivityCreditCounting = "PF1202";

    /// <summary>"…" is "…" but "…" is "…": a pass flag needs a score, and no score (-1) needs pass flag -1.</summary>
    public const string PassFlagInconsistent = "PF1203";

    /// <summary>"…" is 0 but marked as passed.</summary>
    public const string ZeroScorePassed = "PF1204";

    /// <summary>A subject already passed must not have a make-up exam score (got "…").</summary>
    public const string MakeupAfterPass = "PF1205";

    /// <summary>The course code's school code … differs from the cover's school code ….</summary>
    public const string CourseSchoolMismatch = "PF1206";

    /// <summary>The course code's cohort year … does not fit grade … in school year … (expected …).</summary>
    public const string CourseCohortGradeMismatch = "PF1207";

    /// <summary>Duplicates row … (…).</summary>
    public const string DuplicateRow = "PF1208";

    /// <summary>Class type … (…) is continuing education and belongs in the continuing-education book.</summary>
    public const string ContinuingInDayBook = "PF1209";

    /// <summary>Indigenous fields and the special status disagree: ….</summary>
    public const string IndigenousInconsistent = "PF1210";

    /// <summary>Credit counting is 3 but course category … is not group activity or flexible learning; check that the course is scored but not graded.</summary>
    public const string CreditCounting3RegularCourse = "PF1211";

    /// <summary>The upload package is not a readable zip.</summary>
    public const string PackageUnreadable = "PF1301";

    /// <summary>The package's manifest is missing or invalid.</summary>
    public const string PackageManifestInvalid = "PF1302";

    /// <summary>A file listed in the manifest is missing from the package.</summary>
    public const string PackageFileMissing = "PF1303";

    /// <summary>A file in the package is not listed in the manifest.</summary>
    public const string PackageFileExtra = "PF1304";

    /// <summary>A file does not match its hashes in the manifest.</summary>
    public const string PackageFileCorrupted = "PF1305";

    /// <summary>A file's content is not one of the accepted types (pdf, jpg, png, mp3, mp4).</summary>
    public const string FileTypeUnsupported = "PF1306";

    /// <summary>A roster row references a file that is not in the package.</summary>
    public const string RowFileMissing = "PF1307";

    /// <summary>A roster row's MD5 column does not match the file in the package.</summary>
    public const string RowFileMd5Mismatch = "PF1308";

    /// <summary>A reader's limit (<see cref="Input.InputLimits"/>) was exceeded: entry size, total size, compression ratio, entry count, cell length or rows.</summary>
    public const string InputLimitExceeded = "PF1309";

    /// <summary>A zip entry's name is unsafe: a <c>..</c> segment, an absolute path, a drive letter, a backslash or a control character.</summary>
    public const string ZipEntryNameUnsafe = "PF1310";

    /// <summary>Two zip entries have the same name, ignoring case.</summary>
    public const string ZipEntryDuplicate = "PF1311";

    /// <summary>More diagnostics were found than a reader keeps; this one counts those of one code that were not listed.</summary>
    public const string DiagnosticsTruncated = "PF1312";

    /// <summary>An input could not be processed for a reason other than its content (a file that cannot be opened, a database that cannot be reached).</summary>
    public const string InputFailed = "PF1313";

    /// <summary>A SIS mapping profile is invalid.</summary>
    public const string SisProfileInvalid = "PF2001";

    /// <summary>A profile names a table or column that is not a safe identifier.</summary>
    public const string SisProfileIdentifier = "PF2002";

    /// <summary>A profile maps a field the record does not have.</summary>
    public const string SisProfileFieldUnknown = "PF2003";

    /// <summary>A profile does not map a required field.</summary>
    public const string SisProfileFieldRequired = "PF2004";

    /// <summary>A profile query is not a single SELECT, or uses an unknown placeholder.</summary>
    public const string SisProfileQuery = "PF2005";

    /// <summary>A SIS mapping profile holds a key the format does not have.</summary>
    public const string SisProfileUnknownKey = "PF2006";

    /// <summary>A SIS row has no value for a required field.</summary>
    public const string SisValueMissing = "PF2101";

    /// <summary>A SIS value cannot be converted to the field's type.</summary>
    public const string SisValueInvalid = "PF2102";

    /// <summary>A SIS value is not in the profile's value map.</summary>
    public const string SisValueUnmapped = "PF2103";

    /// <summary>Reading the SIS database failed.</summary>
    public const string SisReadFailed = "PF2104";

    /// <summary>An import file cannot be read.</summary>
    public const string ImportFileUnreadable = "PF2201";

    /// <summary>An import file has no column for a required field.</summary>
    public const string ImportColumnMissing = "PF2202";

    /// <summary>A column of an import file matches no field.</summary>
    public const string ImportColumnUnknown = "PF2203";

    /// <summary>A row was imported before and was skipped.</summary>
    public const string ImportRowAlreadyImported = "PF2204";

    /// <summary>A CSV field opened with a quote never closes before the end of the file.</summary>
    public const string ImportQuoteUnterminated = "PF2205";

    /// <summary>A SIS row keyed by a student number that the basic data (學籍資料) does not have was left out of a roster.</summary>
    public const string SisRowStudentUnknown = "PF2301";

    /// <summary>A SIS row was left out of a roster because its student's basic-data row failed.</summary>
    public const string SisRowStudentFailed = "PF2302";

    /// <summary>A SIS value a roster column requires is NULL; the row was left out rather than filled with a default.</summary>
    public const string SisRequiredValueNull = "PF2303";

    /// <summary>A SIS row could not be read and was left out of a roster.</summary>
    public const string SisRowUnreadable = "PF2304";

    /// <summary>A 進修部 student's grade is of a kind the 進修部 grades book has no sheet for (補修, 重修, 重讀); it was left out.</summary>
    public const string SisGradeKindNoContinuingSheet = "PF2305";

    /// <summary>A 進修部 student's regular grade carries a 補考成績, which 6.2 has no column for: 6.3 補考成績 is written from SIS rows of kind makeupExam.</summary>
    public const string SisContinuingMakeupExamNotWritten = "PF2306";

    /// <summary>The content of the submission a rebuilt roster is compared with is no longer in the outbox: only the hashes were compared.</summary>
    public const string SubmittedContentNotInOutbox = "PF2307";

    /// <summary>A SIS row of kind makeupExam (a 進修部 year course's 補考, 6.3) belongs to a day student; it was left out.</summary>
    public const string SisMakeupExamRowOfDayStudent = "PF2308";

    /// <summary>A per-year package item's student key has no 身分證號 in the vendor's directory; it was left out.</summary>
    public const string YearPackageStudentUnresolved = "PF2309";

    /// <summary>A course outcome's course (subject, grade level, credits) is not in the vendor's directory; it was left out.</summary>
    public const string YearPackageCourseUnresolved = "PF2310";

    /// <summary>A per-year package item's evidence file is missing from the content store or no longer matches its SHA-256; it was left out.</summary>
    public const string YearPackageEvidenceMissing = "PF2311";

    /// <summary>A selected course outcome is not certified (認證); it was left out.</summary>
    public const string YearPackageNotCertified = "PF2312";

    /// <summary>An item of the school year is selected for another year's package; it was left out of this one.</summary>
    public const string YearPackageSelectedForAnotherYear = "PF2313";

    /// <summary>An item's kind (course-outcome kind, 多元表現 category) has no sheet in the package's book, or its fields cannot be read; it was left out.</summary>
    public const string YearPackageKindNotPackaged = "PF2314";

    /// <summary>
    /// A course outcome's kind needs a fact its sheet requires (補修's 應修課學期 or 補修方式, 重修's or 轉學轉科's 原修課
    /// course, 借讀's school, …) that the vendor's directory did not supply; it was left out, never written with a made-up value.
    /// </summary>
    public const string YearPackageCourseFactMissing = "PF2315";

    /// <summary>A 進修部 student's course outcome is of a kind (補修, 重修, 重讀) the 進修部 book has no sheet for; it was left out.</summary>
    public const string YearPackageNoContinuingSheet = "PF2316";

    /// <summary>A course outcome's student has no 部別 (day or 進修部) in the vendor's directory, so its book is not known; it was left out.</summary>
    public const string YearPackageDivisionUnresolved = "PF2317";

    /// <summary>
    /// A 進修部 student's course outcome was left out of a day-book-only package: it belongs to the 進修部 book, which the
    /// two-package call writes.
    /// </summary>
    public const string YearPackageContinuingStudent = "PF2318";

    /// <summary>The actor's role does not allow the operation, or the target is outside the actor's scope.</summary>
    public const string PermissionDenied = "PF3101";

    /// <summary>The operation is not allowed in the item's current state.</summary>
    public const string TransitionInvalid = "PF3102";

    /// <summary>A rejected certification needs a reason.</summary>
    public const string RejectionReasonRequired = "PF3103";

    /// <summary>The item changed since the caller read it (optimistic concurrency).</summary>
    public const string VersionConflict = "PF3104";

    /// <summary>Only the assigned certifying teacher or the proxy may certify.</summary>
    public const string NotCertifyingTeacher = "PF3105";

    /// <summary>Only certified course outcomes can be selected.</summary>
    public const string SelectionNotCertified = "PF3106";

    /// <summary>The per-year selection cap is reached.</summary>
    public const string SelectionCap = "PF3107";

    /// <summary>The item is locked by a submission.</summary>
    public const string ItemLocked = "PF3108";

    /// <summary>A 多元表現 is dated before 1 July of the entry year.</summary>
    public const string PerformanceBeforeEntry = "PF3109";

    /// <summary>School-entered cadre records are not selected.</summary>
    public const string SchoolEnteredNotSelectable = "PF3110";

    /// <summary>A certificate name is already in the certificate-name list.</summary>
    public const string CertificateNameDuplicate = "PF3111";

    /// <summary>The certificate-name list has no entry with the given number.</summary>
    public const string CertificateNameUnknown = "PF3112";

    /// <summary>A certificate name is empty or too long.</summary>
    public const string CertificateNameInvalid = "PF3113";

    /// <summary>The certificate name is retired and can no longer be changed.</summary>
    public const string CertificateNameRetired = "PF3114";

    /// <summary>A certificate-name list file is invalid.</summary>
    public const string CertificateListInvalid = "PF3115";

    /// <summary>The item does not exist (or the actor may not see it).</summary>
    public const string ItemNotFound = "PF3116";

    /// <summary>A student's own 多元表現 needs a proof file (證明文件).</summary>
    public const string ProofRequired = "PF3117";

    /// <summary>A course outcome is selected only in its own school year.</summary>
    public const string SelectionOutsideOwnYear = "PF3118";

    /// <summary>A course outcome is selected only for a credited course the student took.</summary>
    public const string CourseNotCredited = "PF3119";

    /// <summary>An audit entry does not match its hash.</summary>
    public const string AuditChainBroken = "PF3201";

    /// <summary>Audit entries are not consecutive.</summary>
    public const string AuditSequenceGap = "PF3202";

    /// <summary>A policy file or object is invalid.</summary>
    public const string PolicyInvalid = "PF3001";

    /// <summary>A JSON input (policy, certificate-name list) has a key its format does not know; the message names the key and its path.</summary>
    public const string JsonKeyUnknown = "PF3002";

    /// <summary>An uploaded file is over the size limit for its kind and school year.</summary>
    public const string FileTooLarge = "PF3301";

    /// <summary>A 簡述 is over its length limit.</summary>
    public const string SummaryTooLong = "PF3302";

    /// <summary>A 簡述 is required.</summary>
    public const string SummaryRequired = "PF3303";

    /// <summary>A school upload cap is reached.</summary>
    public const string UploadCap = "PF3304";

    /// <summary>The policy's window for the operation is closed.</summary>
    public const string WindowClosed = "PF3305";

    /// <summary>The student's storage quota would be exceeded.</summary>
    public const string StorageQuota = "PF3306";

    /// <summary>A 簡述 says nothing (warning).</summary>
    public const string SummarySaysNothing = "PF3307";

    /// <summary>A group work's 簡述 does not state the student's own part (warning).</summary>
    public const string GroupWorkWithoutShare = "PF3308";

    /// <summary>The file type is not accepted for this kind of upload.</summary>
    public const string FileTypeNotAllowed = "PF3309";

    /// <summary>A stored file does not match its hash.</summary>
    public const string StoredFileCorrupted = "PF3401";

    /// <summary>A stored file is missing.</summary>
    public const string StoredFileMissing = "PF3402";

    /// <summary>The guardian is already bound to the student, or a binding is awaiting the 導師 (親子綁定).</summary>
    public const string GuardianBindingExists = "PF3501";

    /// <summary>A notice could not be delivered; it is not marked sent, and the next run retries it.</summary>
    public const string NoticeDeliveryFailed = "PF3502";

    /// <summary>Notice text: a student has uploaded nothing and the upload window closes soon.</summary>
    public const string NoticeNothingUploaded = "PF3510";

    /// <summary>Notice text: a student has selected nothing and the selection window closes soon.</summary>
    public const string NoticeNothingSelected = "PF3511";

    /// <summary>Notice text: a teacher has course outcomes awaiting certification and the window closes soon.</summary>
    public const string NoticePendingCertifications = "PF3512";

    /// <summary>Notice text: the receipt arrived and the student confirmation window is open.</summary>
    public const string NoticeConfirmationOpened = "PF3513";

    /// <summary>Notice text: the student confirmation window closes soon and the student has not answered.</summary>
    public const string NoticeConfirmationClosing = "PF3514";

    /// <summary>Notice text: a course outcome was rejected (認證不通過), with the teacher's reason.</summary>
    public const string NoticeCertificationRejected = "PF3515";

    /// <summary>The request is not multipart/form-data.</summary>
    public const string GatewayContentType = "PF4001";

    /// <summary>The request body is over the gateway's limit.</summary>
    public const string GatewayBodyTooLarge = "PF4002";

    /// <summary>A part of the submission request is missing.</summary>
    public const string GatewayPartMissing = "PF4003";

    /// <summary>The submission metadata is not valid JSON.</summary>
    public const string GatewayMetadataJson = "PF4004";

    /// <summary>A submission metadata field is missing or invalid.</summary>
    public const string GatewayMetadataField = "PF4005";

    /// <summary>The uploaded content does not match its declared SHA-256.</summary>
    public const string GatewayContentHash = "PF4006";

    /// <summary>An idempotency key was reused for different content.</summary>
    public const string GatewayKeyConflict = "PF4007";

    /// <summary>The access token is missing or wrong.</summary>
    public const string GatewayUnauthorized = "PF4008";

    /// <summary>The uploaded content is not a roster workbook or upload package.</summary>
    public const string GatewayContentUnreadable = "PF4009";

    /// <summary>The roster cover disagrees with the submission metadata.</summary>
    public const string GatewayCoverMismatch = "PF4010";

    /// <summary>The gateway has no such submission or receipt.</summary>
    public const string GatewayNotFound = "PF4011";

    /// <summary>The gateway could not be reached after every retry.</summary>
    public const string GatewayUnavailable = "PF4012";

    /// <summary>The gateway's response could not be understood.</summary>
    public const string GatewayUnexpectedResponse = "PF4013";

    /// <summary>The gateway accepted the submission but refused some rows.</summary>
    public const string GatewayRowsRejected = "PF4014";

    /// <summary>A receipt file lacks a mapped column.</summary>
    public const string ReceiptColumnMissing = "PF4101";

    /// <summary>A receipt row holds an invalid value.</summary>
    public const string ReceiptValueInvalid = "PF4102";

    /// <summary>A receipt refers to a submission the ledger does not hold.</summary>
    public const string ReceiptUnknownSubmission = "PF4103";

    /// <summary>A receipt is not valid JSON.</summary>
    public const string ReceiptJson = "PF4104";

    /// <summary>A receipt column mapping holds a key the format does not have.</summary>
    public const string ReceiptMappingUnknownKey = "PF4105";

    /// <summary>A submitted row is missing from the receipt.</summary>
    public const string ReconcileMissing = "PF4201";

    /// <summary>The receipt holds a row that was not submitted.</summary>
    public const string ReconcileExtra = "PF4202";

    /// <summary>The receipt differs from what was submitted.</summary>
    public const string ReconcileChanged = "PF4203";

    /// <summary>The student confirmation window is closed.</summary>
    public const string ConfirmationWindowClosed = "PF4301";

    /// <summary>There is no open confirmation for this submission.</summary>
    public const string ConfirmationNotOpen = "PF4302";

    /// <summary>The confirmation window is shorter than the policy allows.</summary>
    public const string ConfirmationWindowTooShort = "PF4303";

    /// <summary>The student is not in the receipt.</summary>
    public const string ConfirmationNotInReceipt = "PF4304";

    /// <summary>The submission's state does not allow the operation.</summary>
    public const string SubmissionState = "PF4305";

    /// <summary>The confirmation window has not closed yet.</summary>
    public const string ConfirmationWindowStillOpen = "PF4306";

    /// <summary>A rebuilt submission's content changed, but the submission window is closed: the correction is pending.</summary>
    public const string SubmissionChangeOutsideWindow = "PF4307";

    /// <summary>A demo portal (samples/SchoolPortal) left a SIS student out: no class this term (本學期無編班紀錄).</summary>
    public const string PortalStudentWithoutClass = "PF5050";
    /// <summary>The HTTP request has no portfolio actor (not signed in, or unknown to the module).</summary>
    public const string HttpActorUnknown = "PF5001";

    /// <summary>An HTTP upload's body is over the policy's limit (refused before it is read).</summary>
    public const string HttpRequestTooLarge = "PF5002";

    /// <summary>A file of an HTTP upload is over its type's size limit (refused while it streams).</summary>
    public const string HttpFileTooLarge = "PF5003";

    /// <summary>A file of an HTTP upload is none of the accepted types, by its content.</summary>
    public const string HttpFileTypeUnknown = "PF5004";

    /// <summary>The user sent too many uploads (rate limited per user).</summary>
    public const string HttpRateLimited = "PF5005";

    /// <summary>A field of an HTTP request is missing or invalid.</summary>
    public const string HttpFieldInvalid = "PF5006";

    /// <summary>A form post's antiforgery token is missing or invalid.</summary>
    public const string HttpAntiforgeryInvalid = "PF5007";

    /// <summary>The server failed while handling an HTTP request (details only in the server's log).</summary>
    public const string HttpServerError = "PF5008";

    /// <summary>The database failed while handling an HTTP request.</summary>
    public const string HttpDatabaseUnavailable = "PF5009";

    /// <summary>Receipt confirmation is not set up in the host (no submission service).</summary>
    public const string HttpReceiptsNotConfigured = "PF5010";

    /// <summary>A file download names a file the item does not hold.</summary>
    public const string HttpFileNotInItem = "PF5011";

    /// <summary>An HTTP request is malformed (not multipart, unreadable JSON).</summary>
    public const string HttpRequestInvalid = "PF5012";
    /// <summary>The admission rules have no edition of a route for the 招生學年度 asked.</summary>
    public const string AdmissionRulesUnknownYear = "PF3601";

    /// <summary>The 招生學年度 is past the last year the route's sources are about: the rules are carried forward, unverified.</summary>
    public const string AdmissionRulesCarriedForward = "PF3602";

    /// <summary>A course outcome falls under no item code of a route (its 科目屬性 is accepted by none).</summary>
    public const string AdmissionCourseOutcomeUnplaced = "PF3603";

    /// <summary>A 多元表現 falls under no item code of a route (its category is accepted by none).</summary>
    public const string AdmissionPerformanceUnplaced = "PF3604";

    /// <summary>An item was submitted for the admission year or later, so it is not in that year's data.</summary>
    public const string AdmissionItemAfterYear = "PF3605";

    /// <summary>The student has more items under a cap than one 校系 counts: they choose.</summary>
    public const string AdmissionOverCap = "PF3606";

    /// <summary>The student has fewer items under a cap than its required minimum (必採).</summary>
    public const string AdmissionBelowMinimum = "PF3607";

    /// <summary>An admission-rules file is invalid (a value, a reference, an overlap), with its path.</summary>
    public const string AdmissionRulesInvalid = "PF3608";

    /// <summary>A scheduled job's school has no data sources (SIS, module store) in the vendor's resolver: nothing was built for it.</summary>
    public const string ScheduledSchoolUnknown = "PF3701";

    /// <summary>A school's per-year packages were due, but the school has no module store configured.</summary>
    public const string ScheduledSchoolNoModule = "PF3702";

    /// <summary>A year package's submission was accepted, but its packaging record (the items and versions packaged) is missing or unreadable, so its items cannot be locked.</summary>
    public const string YearPackageJournalMissing = "PF3703";

    /// <summary>A term's semester books were due, but the SIS has no placement (學期編班) row for the term: nothing is submitted (a wrong term or profile would otherwise send empty books).</summary>
    public const string ScheduledTermEmptyInSis = "PF3704";
    /// <summary>The school's confirmation window lies outside the national schedule for the term.</summary>
    public const string ConfirmationWindowOutsideSchedule = "PF4401";

    /// <summary>The confirmation window ends before it starts.</summary>
    public const string ConfirmationWindowInvalid = "PF4402";

    /// <summary>The school's confirmation window has not started yet.</summary>
    public const string ConfirmationWindowNotYetOpen = "PF4403";

    /// <summary>The receipt has no such row.</summary>
    public const string ReceiptRowUnknown = "PF4404";

    /// <summary>A dispute must say what is wrong.</summary>
    public const string ReceiptDisputeNeedsNote = "PF4405";

    /// <summary>Rejecting a dispute needs a reason for the student.</summary>
    public const string ReceiptDisputeRejectionNeedsReason = "PF4406";

    /// <summary>Only a disputed receipt row can be decided.</summary>
    public const string ReceiptRowNotDisputed = "PF4407";

    /// <summary>Some disputes are still undecided.</summary>
    public const string ReceiptDisputesUndecided = "PF4408";

    /// <summary>No dispute was upheld, so there is nothing to resubmit.</summary>
    public const string ReceiptNothingUpheld = "PF4409";

    /// <summary>The corrected content lacks an upheld row.</summary>
    public const string CorrectionRowMissing = "PF4410";

    /// <summary>The corrected content cannot be read as a roster of the submission's book.</summary>
    public const string CorrectionContentUnreadable = "PF4411";

    /// <summary>Corrections of per-year packages go as a whole corrected package.</summary>
    public const string CorrectionPackageUnsupported = "PF4412";

    /// <summary>A decided dispute of a resubmitted correction cannot change.</summary>
    public const string ReceiptDecisionFinal = "PF4413";

    /// <summary>A receipt row's answer changed since the caller read it (another tab, a colleague, a double click).</summary>
    public const string ReceiptAnswerConflict = "PF4414";

    /// <summary>The CJK font for the 確認單 is missing or unreadable.</summary>
    public const string ConfirmationSheetFontMissing = "PF6101";

    /// <summary>The font file has no face with the asked family.</summary>
    public const string ConfirmationSheetFontFace = "PF6102";
    /// <summary>The transfer package (歷程交換檔) cannot be read as a zip.</summary>
    public const string TransferPackageUnreadable = "PF6001";

    /// <summary>The transfer package has no JSON document.</summary>
    public const string TransferDocumentMissing = "PF6002";

    /// <summary>The transfer package's JSON is invalid or has a value of the wrong type.</summary>
    public const string TransferJsonInvalid = "PF6003";

    /// <summary>The transfer package's JSON holds a key the format does not have.</summary>
    public const string TransferJsonUnknownKey = "PF6004";

    /// <summary>A required value of the transfer package is missing or empty.</summary>
    public const string TransferValueRequired = "PF6005";

    /// <summary>A record's file link names no entry of the transfer package.</summary>
    public const string TransferFileMissing = "PF6006";

    /// <summary>A file's MD5 differs from the one its record declares.</summary>
    public const string TransferFileMd5Mismatch = "PF6007";

    /// <summary>A record's file link is not a plain relative path under files/.</summary>
    public const string TransferFileLinkUnsafe = "PF6008";

    /// <summary>A file of the transfer package is referenced by no record.</summary>
    public const string TransferFileUnreferenced = "PF6009";

    /// <summary>A record belongs to another student than the package's 基本資料.</summary>
    public const string TransferOtherStudent = "PF6010";

    /// <summary>A value of the transfer package is not one the format allows.</summary>
    public const string TransferValueInvalid = "PF6011";

    /// <summary>The transfer package is for another student than the one being imported.</summary>
    public const string TransferStudentMismatch = "PF6012";

    /// <summary>A transferred record belongs to the sending school and cannot be changed.</summary>
    public const string TransferItemReadOnly = "PF6013";

    /// <summary>An item's category has no key in the exchange format; it was not exported.</summary>
    public const string TransferCategoryNotExchanged = "PF6014";

    /// <summary>The transfer package holds more records than the input limits allow.</summary>
    public const string TransferTooManyRecords = "PF6015";
}
