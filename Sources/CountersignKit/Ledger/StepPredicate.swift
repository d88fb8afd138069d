import Foundation

/// Countersign's in-toto predicate: who decided what on which step of which case, when, which entry
/// of the case came before, and (revision 2) which documents the entry attaches, by the SHA-256 of
/// their exact bytes (FORMATS.md §4, docs/ENTRIES.md).
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
        /// A party attaches documents and decides no step (step `attach`; revision 2).
        case attach
        /// The opener or the orchestrator ends the case (step `withdraw`; revision 2).
        case withdraw

        /// The step id reserved for this decision, if it has one of its own.
        public var reservedStep: String? {
            switch self {
            case .open: StepPredicate.openStep
            case .expire: StepPredicate.expireStep
            case .attach: StepPredicate.attachStep
            case .withdraw: StepPredicate.withdrawStep
            case .approve, .reject, .auto: nil
            }
        }

        /// Whether this decision signs a step of the pipeline (approve, reject, auto).
        public var decidesStep: Bool { reservedStep == nil }
    }

    /// A document the entry attaches (revision 2): its name in the case and the SHA-256 of its exact
    /// bytes, as uploaded and stored (the subject carries its fingerprint).
    public struct AttachedDocument: Hashable, Sendable {
        public let name: String
        /// SHA-256 of the document's exact bytes.
        public let sha256: Digest

        public init(name: String, sha256: Digest) {
            self.name = name
            self.sha256 = sha256
        }
    }

    /// The step id reserved for the entry that opens a case.
    public static let openStep = "open"
    /// The step id reserved for the entry that expires a case.
    public static let expireStep = "expire"
    /// The step id reserved for an entry that only attaches documents.
    public static let attachStep = "attach"
    /// The step id reserved for the entry that withdraws a case.
    public static let withdrawStep = "withdraw"
    /// Every reserved step id: no pipeline step may use one.
    public static let reservedSteps: Set<String> = [openStep, expireStep, attachStep, withdrawStep]

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
    /// The documents the entry attaches (revision 2), sorted by name; `nil` in a revision-1
    /// predicate, whose statement's subjects are what it attaches.
    public let attaches: [AttachedDocument]?
    /// A free-text note; omitted from the JSON when `nil`.
    public let note: String?

    /// A predicate: revision 2 (what Countersign writes) unless `attaches` is `nil`, which makes a
    /// revision-1 predicate as old ledgers hold. `signedAt` is rounded down to the whole second;
    /// `attaches` is sorted by name. Throws when a field is empty, a digest is not SHA-256, the time
    /// is outside years 0000–9999, the step and decision disagree about a reserved step, a document
    /// is attached twice, or a revision-2 decision (`attach`, `withdraw`) has no `attaches`.
    public init(
        pipeline: String,
        pipelineDigest: Digest,
        caseID: String,
        step: String,
        party: String,
        decision: Decision,
        signedAt: Date,
        previous: Digest?,
        attaches: [AttachedDocument]? = [],
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
        for reservedDecision in Decision.allCases {
            guard let reserved = reservedDecision.reservedStep, (step == reserved) != (decision == reservedDecision)
            else { continue }
            throw Self.invalid(
                "step",
                step,
                "step \"\(reserved)\" exactly when the decision is \"\(reservedDecision.rawValue)\" "
                    + "(decision is \"\(decision.rawValue)\")"
            )
        }
        if attaches == nil, decision == .attach || decision == .withdraw {
            throw Self.invalid(
                "decision",
                decision.rawValue,
                "a revision-1 decision: open, approve, reject, auto, expire"
            )
        }
        if let attaches {
            for attached in attaches where attached.name.isEmpty {
                throw Self.invalid("attaches.name", attached.name, "a document name")
            }
            for attached in attaches where attached.sha256.bytes.count != SHA256.byteCount {
                throw Self.invalid("attaches.sha256", attached.sha256.hex, "64 hex digits")
            }
            if let twice = Dictionary(grouping: attaches, by: \.name).first(where: { $0.value.count > 1 })?.key {
                throw Self.invalid("attaches", twice, "each document attached once")
            }
        }
        self.pipeline = pipeline
        self.pipelineDigest = pipelineDigest
        self.caseID = caseID
        self.step = step
        self.party = party
        self.decision = decision
        self.signedAt = Timestamp.truncated(signedAt)
        self.previous = previous
        self.attaches = attaches?.sorted { $0.name < $1.name }
        self.note = note
    }

    /// Whether this is a revision-2 predicate (`https://countersign.dev/step/v2`).
    public var isRevision2: Bool { attaches != nil }

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
            if let attaches {
                writer.key("attaches")
                writer.array { writer in
                    for attached in attaches {
                        writer.object { writer in
                            writer.member("name", attached.name)
                            writer.member("sha256", attached.sha256.hex)
                        }
                    }
                }
            }
            if let note { writer.member("note", note) }
        }
    }

    /// Reads the predicate object; every member but `note` (and `attaches`, which only revision 2
    /// has: the statement checks which) is required and no other is allowed.
    static func read(from reader: inout CompactJSONReader) throws(LedgerFormatError) -> StepPredicate {
        var fields: [String: String] = [:]
        var attaches: [AttachedDocument]?
        try reader.readObject { reader, key throws(LedgerFormatError) in
            guard Self.members.contains(key) else {
                throw .unknownField(context: "statement", field: "predicate." + key)
            }
            if key == "attaches" {
                attaches = try readAttaches(&reader)
            } else {
                fields[key] = try reader.readString()
            }
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
            throw invalid("decision", decisionText, "one of open, approve, reject, auto, expire, attach, withdraw")
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
        if let attaches, attaches.map(\.name) != attaches.map(\.name).sorted() {
            throw invalid("attaches", attaches.map(\.name).joined(separator: ","), "documents sorted by name")
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
            attaches: attaches,
            note: fields["note"]
        )
    }

    /// Reads `attaches`: `[{"name":NAME,"sha256":HEX}, ...]`.
    private static func readAttaches(
        _ reader: inout CompactJSONReader
    ) throws(LedgerFormatError) -> [AttachedDocument] {
        var attaches: [AttachedDocument] = []
        try reader.readArray { reader throws(LedgerFormatError) in
            var name: String?
            var digest: Digest?
            try reader.readObject { reader, key throws(LedgerFormatError) in
                switch key {
                case "name": name = try reader.readString()
                case "sha256":
                    let text = try reader.readString()
                    guard let value = lowercaseSHA256(text[...]) else {
                        throw invalid("attaches.sha256", text, "64 lowercase hex digits")
                    }
                    digest = value
                default: throw .unknownField(context: "statement", field: "predicate.attaches." + key)
                }
            }
            guard let name else { throw .missingField(context: "statement", field: "predicate.attaches.name") }
            guard let digest else { throw .missingField(context: "statement", field: "predicate.attaches.sha256") }
            attaches.append(AttachedDocument(name: name, sha256: digest))
        }
        return attaches
    }

    private static let members: Set<String> = [
        "pipeline", "pipelineDigest", "case", "step", "party", "decision", "signedAt", "previous", "attaches", "note",
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
