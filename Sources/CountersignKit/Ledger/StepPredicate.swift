import Foundation

/// Countersign's in-toto predicate (`https://countersign.dev/step/v1`): who decided what on which
/// step of which case, when, and which entry of the case came before (FORMATS.md §4).
///
/// A value is always valid: the initialiser checks what decoding would check.
public struct StepPredicate: Hashable, Sendable {
    /// What the signer decided.
    public enum Decision: String, CaseIterable, Sendable {
        /// The entry that opens a case (step `open`).
        case open
        /// A party approves a step.
        case approve
        /// A party rejects a step.
        case reject
        /// The orchestrator performs an automatic step.
        case auto
        /// The orchestrator ends a case whose window passed (step `expire`).
        case expire
    }

    /// The step id reserved for the entry that opens a case.
    public static let openStep = "open"
    /// The step id reserved for the entry that expires a case.
    public static let expireStep = "expire"

    /// The pipeline id.
    public let pipeline: String
    /// SHA-256 of the pipeline file's bytes; written `sha256:HEX`.
    public let pipelineDigest: Digest
    /// The case id (JSON member `case`).
    public let caseID: String
    /// The step id; `open` and `expire` are reserved for those decisions.
    public let step: String
    /// The signing party's id.
    public let party: String
    /// The decision.
    public let decision: Decision
    /// When it was signed, to the whole second.
    public let signedAt: Date
    /// The leaf hash of the case's previous entry; `nil` for the entry that opens the case.
    public let previous: Digest?
    /// A free-text note; omitted from the JSON when `nil`.
    public let note: String?

    /// A predicate. `signedAt` is rounded down to the whole second. Throws when a field is empty,
    /// a digest is not SHA-256, the time is outside years 0000–9999, or the step and decision
    /// disagree about `open` and `expire`.
    public init(
        pipeline: String,
        pipelineDigest: Digest,
        caseID: String,
        step: String,
        party: String,
        decision: Decision,
        signedAt: Date,
        previous: Digest?,
        note: String? = nil
    ) throws(LedgerFormatError) {
        for (field, value) in [("pipeline", pipeline), ("case", caseID), ("step", step), ("party", party)]
        where value.isEmpty {
            throw Self.invalid(field, value, "a non-empty id")
        }
        guard pipelineDigest.bytes.count == SHA256.byteCount else {
            throw Self.invalid("pipelineDigest", "sha256:" + pipelineDigest.hex, "sha256: and 64 hex digits")
        }
        if let previous, previous.bytes.count != SHA256.byteCount {
            throw Self.invalid("previous", previous.hex, "64 hex digits or an empty string")
        }
        guard Timestamp.isRepresentable(signedAt) else {
            throw Self.invalid("signedAt", "\(signedAt)", "a time between years 0000 and 9999")
        }
        for (reserved, reservedDecision) in [(Self.openStep, Decision.open), (Self.expireStep, Decision.expire)]
        where (step == reserved) != (decision == reservedDecision) {
            throw Self.invalid(
                "step",
                step,
                "step \"\(reserved)\" exactly when the decision is \"\(reservedDecision.rawValue)\" "
                    + "(decision is \"\(decision.rawValue)\")"
            )
        }
        self.pipeline = pipeline
        self.pipelineDigest = pipelineDigest
        self.caseID = caseID
        self.step = step
        self.party = party
        self.decision = decision
        self.signedAt = Timestamp.truncated(signedAt)
        self.previous = previous
        self.note = note
    }

    /// Writes the predicate object, members in FORMATS.md §4 order.
    func write(to writer: inout CompactJSONWriter) {
        writer.object { writer in
            writer.member("pipeline", pipeline)
            writer.member("pipelineDigest", "sha256:" + pipelineDigest.hex)
            writer.member("case", caseID)
            writer.member("step", step)
            writer.member("party", party)
            writer.member("decision", decision.rawValue)
            writer.member("signedAt", Timestamp.format(signedAt))
            writer.member("previous", previous?.hex ?? "")
            if let note { writer.member("note", note) }
        }
    }

    /// Reads the predicate object; every member but `note` is required and no other is allowed.
    static func read(from reader: inout CompactJSONReader) throws(LedgerFormatError) -> StepPredicate {
        var fields: [String: String] = [:]
        try reader.readObject { reader, key throws(LedgerFormatError) in
            guard Self.members.contains(key) else {
                throw .unknownField(context: "statement", field: "predicate." + key)
            }
            fields[key] = try reader.readString()
        }
        func required(_ name: String) throws(LedgerFormatError) -> String {
            guard let value = fields[name] else {
                throw .missingField(context: "statement", field: "predicate." + name)
            }
            return value
        }
        let digestText = try required("pipelineDigest")
        guard digestText.hasPrefix("sha256:"), let pipelineDigest = lowercaseSHA256(digestText.dropFirst(7)) else {
            throw invalid("pipelineDigest", digestText, "sha256: and 64 lowercase hex digits")
        }
        let decisionText = try required("decision")
        guard let decision = Decision(rawValue: decisionText) else {
            throw invalid("decision", decisionText, "one of open, approve, reject, auto, expire")
        }
        let timeText = try required("signedAt")
        guard let signedAt = Timestamp.parseCanonical(timeText) else {
            throw invalid("signedAt", timeText, "an RFC 3339 UTC time to the second, like 2026-11-23T10:00:00Z")
        }
        let previousText = try required("previous")
        var previous: Digest?
        if !previousText.isEmpty {
            guard let digest = lowercaseSHA256(previousText[...]) else {
                throw invalid("previous", previousText, "64 lowercase hex digits or an empty string")
            }
            previous = digest
        }
        return try StepPredicate(
            pipeline: try required("pipeline"),
            pipelineDigest: pipelineDigest,
            caseID: try required("case"),
            step: try required("step"),
            party: try required("party"),
            decision: decision,
            signedAt: signedAt,
            previous: previous,
            note: fields["note"]
        )
    }

    private static let members: Set<String> = [
        "pipeline", "pipelineDigest", "case", "step", "party", "decision", "signedAt", "previous", "note",
    ]

    /// A SHA-256 digest from exactly 64 lowercase hex digits, the only form the ledger writes.
    static func lowercaseSHA256(_ text: Substring) -> Digest? {
        guard text.utf8.count == 64,
            !text.utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) })
        else { return nil }
        return Digest(hex: text)
    }

    private static func invalid(_ field: String, _ value: String, _ expected: String) -> LedgerFormatError {
        .invalidField(context: "statement", field: "predicate." + field, value: value, expected: expected)
    }
}
