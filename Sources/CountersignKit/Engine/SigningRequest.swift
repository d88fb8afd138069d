import Foundation

/// A request to sign one step of one case, for a party whose signing machine has no ledger
/// (docs/SIGNING-REQUESTS.md has the format field by field).
///
/// It holds everything the signature will say and everything the signer should see before making
/// it: the case and the entry the signature will extend (its head), the pipeline version, the step
/// and what it requires, the party and its keys, and every document of the case with its exact
/// bytes — plus the documents this signature attaches. `countersign request` writes one once the
/// engine has checked that the party may sign the step now (`Orchestrator.signingRequest`);
/// `countersign sign --request` checks it by itself (`check`: each document's bytes against its
/// fingerprint and SHA-256, each field against the others), shows it, and signs the statement its
/// `EntryDraft` makes — the very statement `sign` makes online. What it says is not trusted: the
/// ledger judges the signed result when it is submitted, on the case as it then stands.
public struct SigningRequest: Sendable, Equatable {
    /// The `format` member: the format's name and version. A reader refuses any other.
    public static let format = "countersign-signing-request/1"
    /// The largest request file read (documents travel in it, each up to `XMLLimits.default`).
    public static let maximumSize = 256 << 20

    /// The pipeline version the case runs under.
    public struct PipelineInfo: Sendable, Equatable {
        public let id: String
        public let title: String
        /// The pipeline's free-text `version:`, when it has one.
        public let version: String?
        /// The version's digest, as every entry of the case names it (`pipelineDigest`).
        public let digest: Digest
    }

    /// The case entry the signature extends: its `previous`.
    public struct Head: Sendable, Equatable {
        /// Its index in the log.
        public let index: Int
        /// Its leaf hash: the `previous` the signed statement carries.
        public let leafHash: Digest
        /// When it was signed: the signature may not be dated before it.
        public let signedAt: Date
    }

    /// The step to sign and what it requires, as the pipeline version says and the case stands.
    public struct StepInfo: Sendable, Equatable {
        public let id: String
        /// Who signs it and how many of them must.
        public let signers: Signers
        /// The parties whose approvals of it count so far (a quorum or `all` step).
        public let approvedBy: [String]
        /// Documents the case must carry.
        public let needs: [String]
        /// Documents the signer attaches.
        public let produces: [String]
        /// The step's `if`, as written.
        public let condition: String?
        /// The step's `require` rules, as written.
        public let require: [String]
        /// When the step falls due, if it has a `due`.
        public let dueAt: Date?
    }

    /// A document: its name in the case, fingerprint, the SHA-256 of its exact bytes, and the bytes.
    public struct Document: Sendable, Equatable {
        public let name: String
        /// SHA-256 of its exclusive C14N (FORMATS.md §3): what the statement's subject names.
        public let fingerprint: Fingerprint
        /// SHA-256 of `bytes`: what the statement's `attaches` names for an attached document.
        public let sha256: Digest
        public let bytes: [UInt8]
    }

    /// The origin of the log the request came from (`nil` when the ledger holds no consortium).
    public let log: String?
    /// When the request was written.
    public let createdAt: Date
    public let caseID: String
    public let pipeline: PipelineInfo
    /// When the case's window ends, if it has one that started.
    public let expiresAt: Date?
    public let head: Head
    public let step: StepInfo
    /// The party asked to sign.
    public let party: String
    /// The key ids of the party's keys in force when the request was written; the signing key must
    /// be one of them.
    public let partyKeys: [String]
    /// Every document of the case before the signature, sorted by name.
    public let documents: [Document]
    /// The documents the signature attaches, sorted by name.
    public let attaches: [Document]

    init(
        log: String?,
        createdAt: Date,
        caseID: String,
        pipeline: PipelineInfo,
        expiresAt: Date?,
        head: Head,
        step: StepInfo,
        party: String,
        partyKeys: [String],
        documents: [Document],
        attaches: [Document]
    ) {
        self.log = log
        self.createdAt = Timestamp.truncated(createdAt)
        self.caseID = caseID
        self.pipeline = pipeline
        self.expiresAt = expiresAt
        self.head = head
        self.step = step
        self.party = party
        self.partyKeys = partyKeys
        self.documents = documents.sorted { $0.name < $1.name }
        self.attaches = attaches.sorted { $0.name < $1.name }
    }

    /// What the signature will say, before it is dated: an approval of the step.
    public var draft: EntryDraft {
        EntryDraft(
            pipeline: pipeline.id,
            pipelineDigest: pipeline.digest,
            caseID: caseID,
            step: step.id,
            party: party,
            decision: .approve,
            previous: head.leafHash,
            documents: Dictionary(uniqueKeysWithValues: documents.map { ($0.name, $0.fingerprint) }),
            attaching: attaches.map {
                EntryDraft.Attachment(name: $0.name, fingerprint: $0.fingerprint, sha256: $0.sha256)
            }
        )
    }

    /// Signs the request with `key` at `signedAt`: an approval, or a rejection giving
    /// `rejectReason`. Refused when the key is none of the party's keys the request lists, or the
    /// time is before the entry the signature extends. Call `check` first (reading a request does).
    public func sign(
        key: Ed25519PrivateKey,
        signedAt: Date,
        note: String?,
        rejectReason: String?
    ) throws -> SignedEntry {
        let keyID = key.publicKey.keyID
        guard partyKeys.contains(keyID) else {
            throw SigningRequestError.notThePartysKey(keyID: keyID, party: party, keys: partyKeys)
        }
        guard Timestamp.truncated(signedAt) >= head.signedAt else {
            throw SigningRequestError.signedBeforeHead(signedAt: Timestamp.truncated(signedAt), head: head)
        }
        let statement = try draft.deciding(rejectReason == nil ? .approve : .reject)
            .statement(signedAt: signedAt, note: rejectReason ?? note)
        return SignedEntry(
            envelope: try Envelope.sign(statement: statement, key: key),
            statement: statement,
            documents: attaches.map { StoredDocument(exactBytes: $0.bytes) }
        )
    }

    /// Checks the request by itself, as a machine with no ledger can: every document's bytes are
    /// XML whose fingerprint (exclusive C14N SHA-256, via the Documents layer) and exact-bytes
    /// SHA-256 are the ones it names, each name once; the case id is one; the party is among the
    /// step's signers and has not approved it yet, with at least one key; the step's documents are
    /// there; every id is non-empty. Throws naming the first member that is wrong.
    public func check() throws(LedgerFormatError) {
        func invalid(_ field: String, _ value: String, _ expected: String) -> LedgerFormatError {
            .invalidField(context: Self.context, field: field, value: value, expected: expected)
        }
        guard CaseID.isValid(caseID) else { throw invalid("case", caseID, CaseID.rule) }
        for (field, value) in [("pipeline.id", pipeline.id), ("pipeline.title", pipeline.title), ("step.id", step.id)]
        where value.isEmpty {
            throw invalid(field, value, "a non-empty text")
        }
        guard !StepPredicate.reservedSteps.contains(step.id) else {
            throw invalid(
                "step.id",
                step.id,
                "a step of the pipeline (not a reserved id: open, expire, attach, withdraw)"
            )
        }
        let signers = step.signers.parties
        guard !signers.isEmpty, Set(signers).count == signers.count else {
            throw invalid("step.by.of", signers.joined(separator: ","), "one or more parties, each once")
        }
        guard (1...signers.count).contains(step.signers.required) else {
            throw invalid("step.by.required", "\(step.signers.required)", "between 1 and \(signers.count)")
        }
        guard signers.contains(party) else {
            throw invalid("party.id", party, "one of the step's signers (\(step.signers))")
        }
        for approved in step.approvedBy where !signers.contains(approved) {
            throw invalid("step.approvedBy", approved, "parties among the step's signers (\(step.signers))")
        }
        guard !step.approvedBy.contains(party) else {
            throw invalid("step.approvedBy", party, "parties other than the one asked to sign: it approved already")
        }
        guard !partyKeys.isEmpty else { throw invalid("party.keys", "[]", "the key ids of the party's keys") }
        for key in partyKeys where StepPredicate.lowercaseSHA256(key[...]) == nil {
            throw invalid("party.keys", key, "key ids of 64 lowercase hex digits")
        }
        try Self.check(documents, field: "documents")
        try Self.check(attaches, field: "attaches")
        let held = Set(documents.map(\.name)).union(attaches.map(\.name))
        for name in step.needs where !held.contains(name) {
            throw invalid("step.needs", name, "documents the request holds (\"documents\" or \"attaches\")")
        }
        for name in step.produces where !held.contains(name) {
            throw invalid("step.produces", name, "documents the request holds (\"documents\" or \"attaches\")")
        }
    }

    /// Each document of `list` named once, and its bytes the ones its fingerprint and SHA-256 name.
    private static func check(_ list: [Document], field: String) throws(LedgerFormatError) {
        var seen: Set<String> = []
        for document in list {
            let path = "\(field)[\(document.name)]"
            guard !document.name.isEmpty, !document.name.hasPrefix("@") else {
                throw .invalidField(context: context, field: field, value: document.name, expected: "document names")
            }
            guard seen.insert(document.name).inserted else {
                throw .invalidField(context: context, field: path, value: document.name, expected: "each name once")
            }
            let sha256 = SHA256.hash(document.bytes)
            guard sha256 == document.sha256 else {
                throw .invalidField(
                    context: context,
                    field: path + ".bytes",
                    value: "bytes of SHA-256 \(sha256.hex)",
                    expected: "the bytes whose SHA-256 is its \"sha256\" (\(document.sha256.hex))"
                )
            }
            let fingerprint: Fingerprint
            do {
                fingerprint = try XMLDocument(bytes: document.bytes, source: path).fingerprint()
            } catch {
                throw .invalidField(context: context, field: path + ".bytes", value: "…", expected: "XML: \(error)")
            }
            guard fingerprint == document.fingerprint else {
                throw .invalidField(
                    context: context,
                    field: path + ".fingerprint",
                    value: document.fingerprint.description,
                    expected: "the fingerprint of its bytes (\(fingerprint))"
                )
            }
        }
    }

    /// How errors name this format.
    static let context = "signing request"
}

/// Why a signing request cannot be read, written or signed.
public enum SigningRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file cannot be read.
    case unreadable(path: String, reason: String)
    /// The file is larger than `SigningRequest.maximumSize`; it was not read.
    case oversized(path: String, size: Int)
    /// The file is not a signing request this version reads, or its members disagree.
    case invalid(path: String, LedgerFormatError)
    /// The file to write exists (and `--force` was not given).
    case exists(path: String)
    /// The file cannot be written.
    case unwritable(path: String, reason: String)
    /// The signer says it is another party than the request asks.
    case otherParty(requested: String, given: String)
    /// The signing key is none of the keys the request lists for its party.
    case notThePartysKey(keyID: String, party: String, keys: [String])
    /// The signature would be dated before the entry it extends.
    case signedBeforeHead(signedAt: Date, head: SigningRequest.Head)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read signing request \(path): \(reason)"
        case .oversized(let path, let size):
            "\(path) is \(size) bytes, more than the \(SigningRequest.maximumSize) bytes a signing request may have"
        case .invalid(let path, let error): "\(path): \(error)"
        case .exists(let path): "\(path) exists: give --force to replace it"
        case .unwritable(let path, let reason): "cannot write \(path): \(reason)"
        case .otherParty(let requested, let given):
            "the request asks '\(requested)' to sign, not '\(given)' (--as): ask for a request made for '\(given)'"
        case .notThePartysKey(let keyID, let party, let keys):
            "the key \(keyID.prefix(16))… is not one of the keys of '\(party)' the request lists "
                + "(\(keys.map { String($0.prefix(16)) + "…" }.joined(separator: ", "))): sign with that party's key"
        case .signedBeforeHead(let signedAt, let head):
            "the signature would be dated \(Timestamp.format(signedAt)), before the entry it extends "
                + "(entry \(head.index), signed \(Timestamp.format(head.signedAt))): check this machine's clock or --now"
        }
    }
}
