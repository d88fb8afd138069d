import Foundation

/// `log verify` and the verification step of `reconcile`: the Merkle checks of `LogVerifier`, and,
/// folding the governance entries as they come, every entry judged by the consortium as it stood at
/// that point of the log — never by the workspace's files:
/// - a governance entry must apply to the state before it (signatures, rights, the change itself);
/// - a case entry's one signature must be by a key in force for the party it names, inside its
///   window, and verify; it must extend its case's chain; its signer may sign the step under the
///   pipeline version the case was opened under, which was in force when it opened and whose files
///   are in the store; its documents' stored bytes keep their fingerprints;
/// - each stored checkpoint must be signed by the log signer under the genesis origin, with the
///   keys in force at its size, and its cosignatures by members must verify;
/// - the store's governance cache must match the fold.
///
/// Whether each step was *ready* when signed (order, conditions, quorum) is replayed case by case
/// by `verify-bundle`; here authority means "this party may sign this step".
public struct LogAudit {
    public let store: any LedgerStore
    /// Threads for signature checks.
    public var workers = 1
    /// A tree this machine verified before (`VerifiedTreeState`); `nil` for the whole log. From
    /// it, the pass proves the log still extends that tree (`LogVerifier.start`) and checks every
    /// entry after it as the whole pass would. The earlier entries of the cases those entries
    /// extend, of `cases`, and of the consortium are each proved in that tree (leaf hash from their
    /// bytes, inclusion proof to its root) and folded, so chains, keys and rights are judged as
    /// in a whole pass; their signatures were checked on the night they arrived. The case-head map
    /// lines of checkpoints are checked by a whole pass only.
    public var from: VerifiedTreeState.Head?
    /// Cases whose earlier entries are proved and folded besides those new entries extend.
    public var cases: Set<String> = []

    public init(store: any LedgerStore) {
        self.store = store
    }

    /// What the pass found, and the consortium the log's governance entries make.
    public struct Outcome: Sendable {
        public var report: LogVerifier.Report
        public var governance: GovernanceState
    }

    /// Runs every check in one pass over the log, in one snapshot of the store (`LedgerStore.snapshot`):
    /// entries appended and checkpoints stored while it runs are the next pass's.
    public func run(progress: ((Int) -> Void)? = nil) throws -> Outcome {
        try store.snapshot { try runInSnapshot(progress: progress) }
    }

    private func runInSnapshot(progress: ((Int) -> Void)?) throws -> Outcome {
        var verifier = LogVerifier(store: store)
        verifier.workers = workers
        verifier.progress = progress
        let declared = try DeclaredKeys(in: store)
        verifier.checkEntry = { entry in Self.checkSignature(entry, declared: declared) }
        var checks = InOrderChecks(store: store)
        let incremental = (from?.size ?? 0) > 0
        var earlierProblems: [LogVerifier.Problem] = []
        if incremental, let from {
            // A log shorter than the tree is the verifier's to report.
            verifier.start = from
            if from.size <= (try store.size()) {
                earlierProblems = try foldEarlierEntries(below: from, into: &checks)
            }
        }
        let notes = Dictionary(grouping: try store.checkpoints(), by: \.size)
        var noteProblems: [String: String] = [:]
        var caseMap = CaseMapAudit(store: store)
        var mapProblems: [LogVerifier.Problem] = []
        verifier.checkInOrder = { entry, found in
            if !incremental { caseMap.record(entry) }
            return checks.check(entry, found)
        }
        verifier.atCheckpointSize = { size in
            let stored = notes[size] ?? []
            let map = incremental ? (root: nil, problems: []) : caseMap.root(at: size, governance: checks.governance)
            mapProblems += map.problems.map { LogVerifier.Problem(index: nil, message: $0) }
            for stored in stored {
                noteProblems[stored.note] =
                    checks.checkpointProblem(stored.note)
                    ?? Self.caseMapProblem(stored.note, size: size, root: map.root)
            }
        }
        verifier.checkNoteSignatures = { note in noteProblems[note.serialized] ?? nil }
        var report = try verifier.verify()
        report.problems = earlierProblems + report.problems + mapProblems
        report.problems += try GovernanceCache.differences(in: store, from: checks.governance).map {
            LogVerifier.Problem(index: nil, message: $0 + " (it is a cache: the next command that writes rebuilds it)")
        }
        return Outcome(report: report, governance: checks.governance)
    }

    /// Proves and folds, in log order, the entries below `head.size` that the pass after it needs:
    /// the consortium's, and those of every case an entry after it extends or `cases` names.
    private func foldEarlierEntries(
        below head: VerifiedTreeState.Head,
        into checks: inout InOrderChecks
    ) throws -> [LogVerifier.Problem] {
        var touched = cases
        try store.forEachEntry(in: head.size..<(try store.size())) { entry in
            if let caseID = entry.caseID, LedgerChain.isCase(caseID) { touched.insert(caseID) }
        }
        var earlier = try store.entries(ofCase: LedgerChain.consortium).filter { $0.index < head.size }
        for caseID in touched { earlier += try store.entries(ofCase: caseID).filter { $0.index < head.size } }
        earlier.sort { $0.index < $1.index }
        var tree = MerkleTree(store)
        var problems: [LogVerifier.Problem] = []
        for entry in earlier {
            if MerkleHash.leaf(entry.envelope) != entry.leafHash {
                problems.append(
                    .init(index: entry.index, message: "stored bytes do not match the leaf hash: the entry was altered")
                )
            } else {
                let proof = try tree.inclusionProof(index: entry.index, size: head.size)
                let included = MerkleProofVerifier.verifyInclusion(
                    leaf: entry.leafHash,
                    index: entry.index,
                    size: head.size,
                    proof: proof,
                    root: head.root
                )
                if !included {
                    problems.append(
                        .init(
                            index: entry.index,
                            message: "not in the tree of \(head.size) entries verified on "
                                + "\(Timestamp.format(head.verifiedAt)): the entry was altered after it was verified"
                        )
                    )
                }
            }
            checks.fold(entry)
        }
        return problems
    }

    /// Why a stored checkpoint's case-head map line is not the map the log makes at its size;
    /// `nil` when it is, or when the checkpoint predates the map (it has no such line).
    private static func caseMapProblem(_ note: String, size: Int, root: Digest?) -> String? {
        guard let parsed = try? SignedNote(parsing: Array(note.utf8)), let checkpoint = try? Checkpoint(note: parsed)
        else { return nil }
        let line = checkpoint.extensions.first { $0.hasPrefix(CaseMap.extensionPrefix) }
        guard let line else { return nil }
        guard let signed = checkpoint.caseMapRoot else {
            return "its case-head map line \"\(line)\" is not base64 of 32 bytes"
        }
        guard let root else { return nil }
        return signed == root
            ? nil
            : "its case-head map root \(signed.base64) is not the map the log's cases make at size \(size) "
                + "(\(root.base64)): the map it signs lies about a case"
    }

    /// A case entry's envelope parses, carries one signature, and a key some governance entry
    /// declares for the party it names made it (found as `Envelope.signer(of:among:)` finds it; the
    /// key its keyid names is a candidate too, wherever it belongs, so the in-order check can say
    /// whose it is). Whose key it was, and whether it could sign then, is the in-order check's.
    /// Governance entries are left to the in-order fold.
    private static func checkSignature(_ entry: LedgerEntry, declared: DeclaredKeys) -> LogVerifier.EntryCheck {
        let envelope: Envelope
        do {
            envelope = try Envelope(bytes: entry.envelope)
        } catch {
            return .init(problems: [.init(index: entry.index, message: "not a DSSE envelope: \(error)")])
        }
        guard !envelope.isGovernance else { return .init() }
        var found = LogVerifier.EntryCheck()
        func problem(_ message: String) { found.problems.append(.init(index: entry.index, message: message)) }
        let isCaseEntry = envelope.payloadType == Envelope.inTotoPayloadType
        if isCaseEntry {
            if envelope.signatures.count != 1 {
                problem("a case entry carries one signature, this one \(envelope.signatures.count)")
            }
            do {
                found.statement = try envelope.statement()
            } catch {
                problem("not a Countersign statement: \(error)")
            }
        }
        // An entry of another kind, outside any case, names no party: its signature must hold too,
        // by a member's key (which the in-order check asks of the consortium).
        let party = found.statement?.predicate.party
        let signature = envelope.signatures[0]
        let candidates = declared.candidates(for: signature, party: party)
        switch envelope.signer(of: signature, among: candidates, publicKey: { $0 }) {
        case .verified(let key):
            found.signer = key.keyID
        case .failed(let key):
            found.signer = key.keyID
            problem("the signature does not verify: the entry was altered" + (isCaseEntry ? " after signing" : ""))
        case .unknown(let keyID):
            found.signer = keyID
        case .unverified:
            problem(
                "its signature names no key (no keyid) and verifies with no key the governance entries declare"
                    + (party.map { " for '\($0)'" } ?? "") + ": the entry was altered or signed with another key"
            )
        case .misnamed(let keyID, let key):
            problem(Envelope.Signature.misnamedReason(keyID: keyID, verifying: key.keyID))
        }
        return found
    }
}

/// Every public key the governance entries declare (whether or not it went into force), by key id
/// and by party, for the signature checks that run ahead of the in-order fold (which alone decides
/// whether a key was in force).
private struct DeclaredKeys: Sendable {
    var byID: [String: Ed25519PublicKey] = [:]
    var byParty: [String: [Ed25519PublicKey]] = [:]

    init(in store: any LedgerStore) throws {
        for entry in try store.entries(ofCase: LedgerChain.consortium) {
            guard let statement = try? Envelope(bytes: entry.envelope).governanceStatement() else { continue }
            switch statement.predicate.change {
            case .genesis(_, let member, _), .member(let member):
                for key in member.keys where byID[key.keyID] == nil {
                    byID[key.keyID] = key.publicKey
                    byParty[member.id, default: []].append(key.publicKey)
                }
            default: continue
            }
        }
    }

    /// The keys that may have made `signature`: those of `party` and the one its keyid names; with
    /// neither a party nor a keyid (an entry of another kind), every key.
    func candidates(for signature: Envelope.Signature, party: String?) -> [Ed25519PublicKey] {
        var keys = party.map { byParty[$0] ?? [] } ?? []
        if let keyID = signature.keyID {
            if let named = byID[keyID], !keys.contains(named) { keys.append(named) }
        } else if party == nil {
            keys = byParty.keys.sorted().flatMap { byParty[$0]! }
        }
        return keys
    }
}

/// What the in-order checks keep of one case: its newest leaf hash, the number of the version it
/// was opened under (`none` when it opened under none in force) and of its opener.
private struct CaseFold {
    static let none: Int32 = -1
    var head: CaseMapHash
    var version: Int32
    var openedBy: Int32
}

/// Values numbered in order of first use, so a table with one row per case keeps a number for a
/// value that many cases share.
private struct Interned<Value: Hashable> {
    private var values: [Value] = []
    private var numbers: [Value: Int32] = [:]

    /// The number of `value`, given it now if it has none.
    mutating func number(of value: Value) -> Int32 {
        if let number = numbers[value] { return number }
        values.append(value)
        numbers[value] = Int32(values.count - 1)
        return Int32(values.count - 1)
    }

    subscript(number: Int32) -> Value { values[Int(number)] }
}

/// The in-order part of the audit: the governance fold, keys in force, case chains, signer
/// authority, stored pipeline versions and documents, and checkpoints at their size.
private struct InOrderChecks {
    let store: any LedgerStore
    var governance = GovernanceState()
    /// Each case's newest leaf hash, the version it was opened under and its opener — inline, the
    /// version and the opener as numbers into `versions` and `parties`, so a case costs the fold
    /// its table entry and no allocation of its own (memory at 10 million entries: docs/SCALE.md).
    var cases: [String: CaseFold] = [:]
    /// The versions cases were opened under, numbered in order of first use.
    var versions = Interned<Digest>()
    /// The parties that opened cases, numbered in order of first use.
    var parties = Interned<String>()
    var pipelines: [Digest: Pipeline] = [:]
    /// The SHA-256 of each (document key, fingerprint) checked, so a document is read once.
    var checkedDocuments: Set<CaseMapHash> = []

    init(store: any LedgerStore) {
        self.store = store
    }

    /// Takes in an entry verified before without checking it again: the consortium's state, the
    /// case's head, pipeline and opener move on as `check` would move them.
    mutating func fold(_ entry: LedgerEntry) {
        guard let envelope = try? Envelope(bytes: entry.envelope) else { return }
        if envelope.isGovernance {
            if let change = try? GovernanceEntry(entry) { try? governance.apply(change) }
            governance.dirty = []
            return
        }
        guard let predicate = try? envelope.statement().predicate else { return }
        let known = cases[predicate.caseID]
        var version = known?.version ?? CaseFold.none
        if predicate.decision == .open {
            var ignored: [String] = []
            version =
                self.pipeline(predicate.pipelineDigest, id: predicate.pipeline, problems: &ignored) == nil
                ? CaseFold.none : versions.number(of: predicate.pipelineDigest)
        }
        cases[predicate.caseID] = CaseFold(
            head: CaseMapHash(entry.leafHash),
            version: version,
            openedBy: known?.openedBy ?? parties.number(of: predicate.party)
        )
    }

    mutating func check(_ entry: LedgerEntry, _ found: LogVerifier.EntryCheck) -> [LogVerifier.Problem] {
        var problems: [String]
        if let statement = found.statement {
            problems = caseEntryProblems(entry, statement, signer: found.signer)
        } else if let envelope = try? Envelope(bytes: entry.envelope) {
            problems = envelope.isGovernance ? governanceProblems(entry) : otherEntryProblems(signer: found.signer)
        } else {
            problems = []
        }
        if entry.index == 0, governance.genesis == nil {
            problems.insert("the log's first entry is not the consortium's genesis", at: 0)
        }
        return problems.map { LogVerifier.Problem(index: entry.index, message: $0) }
    }

    /// An entry that is neither a case's nor the consortium's: signed by a member's key in force
    /// (`signer`: the key the parallel check found; `nil` when it reported why there is none).
    private func otherEntryProblems(signer: String?) -> [String] {
        guard let signer else { return [] }
        guard let key = governance.keys[signer], key.revocation == nil else {
            return ["signed by key \(signer.prefix(16))…, which was no member's key in force at this point of the log"]
        }
        return []
    }

    private mutating func governanceProblems(_ entry: LedgerEntry) -> [String] {
        var problems: [String] = []
        if entry.caseID != LedgerChain.consortium {
            problems.append("a governance entry stored outside the consortium's chain (under '\(entry.caseID ?? "")')")
        }
        do {
            try governance.apply(try GovernanceEntry(entry))
            governance.dirty = []
        } catch let error as GovernanceError {
            switch error {
            case .refused(let what, let reason): problems.append("governance entry does not hold: \(what): \(reason)")
            default: problems.append("governance entry does not hold: \(error)")
            }
        } catch {
            problems.append("not a governance statement: \(error)")
        }
        return problems
    }

    /// `signer` is the key the parallel check found made the entry's signature; `nil` when it
    /// reported why none did.
    private mutating func caseEntryProblems(_ entry: LedgerEntry, _ statement: Statement, signer: String?) -> [String] {
        let predicate = statement.predicate
        var problems: [String] = []
        if entry.caseID != predicate.caseID {
            problems.append("stored under case '\(entry.caseID ?? "")' but signed for case '\(predicate.caseID)'")
        }
        if let signer {
            if let key = governance.keys[signer] {
                if key.party != predicate.party {
                    problems.append("signed with a key of '\(key.party)' but claims party '\(predicate.party)'")
                }
                if let problem = key.backdatingProblem(signedAt: predicate.signedAt) { problems.append(problem) }
                let time = entry.logTime ?? predicate.signedAt
                if let problem = key.problem(at: time) {
                    problems.append(
                        "\(problem): judged at log time \(Timestamp.format(time)) "
                            + "(signed at \(Timestamp.format(predicate.signedAt)))"
                    )
                }
            } else {
                problems.append(
                    "signed by key \(signer.prefix(16))…, which was no member's key in force at this point of the log"
                )
            }
        }
        if let logTime = entry.logTime, predicate.signedAt.timeIntervalSince(logTime) > 300 {
            problems.append(
                "it is signed at \(Timestamp.format(predicate.signedAt)), later than its log time "
                    + "\(Timestamp.format(logTime)) + 5 minutes"
            )
        }
        let known = cases[predicate.caseID]
        let chained =
            switch (predicate.previous, known?.head) {
            case (nil, nil): true
            case (let previous?, let head?): CaseMapHash(previous.bytes) == head
            default: false
            }
        if !chained && !extendsEarlierEntry(entry, predicate) {
            problems.append(
                "breaks the chain of case '\(predicate.caseID)': its `previous` is not an earlier entry of the case"
            )
        }
        var version = known?.version ?? CaseFold.none
        if predicate.decision == .open {
            version =
                self.pipeline(predicate.pipelineDigest, id: predicate.pipeline, problems: &problems) == nil
                ? CaseFold.none : versions.number(of: predicate.pipelineDigest)
        }
        let openedBy = known?.openedBy ?? parties.number(of: predicate.party)
        if version != CaseFold.none, let pipeline = pipelines[versions[version]] {
            problems += authorityProblems(predicate, pipeline: pipeline, openedBy: parties[openedBy])
        }
        for attached in statement.attachments { problems += documentProblems(attached) }
        cases[predicate.caseID] = CaseFold(head: CaseMapHash(entry.leafHash), version: version, openedBy: openedBy)
        return problems
    }

    /// Whether a revision-2 entry signed in parallel names, as `previous`, an earlier entry of its
    /// case (read back from the store: the rare path, so the fold keeps only each case's head).
    private func extendsEarlierEntry(_ entry: LedgerEntry, _ predicate: StepPredicate) -> Bool {
        guard predicate.isRevision2, let previous = predicate.previous,
            let entries = try? store.entries(ofCase: predicate.caseID)
        else { return false }
        return entries.contains { $0.index < entry.index && $0.leafHash == previous }
    }

    /// The version a case opens under: in force at this point, its files stored and loading.
    private mutating func pipeline(_ digest: Digest, id: String, problems: inout [String]) -> Pipeline? {
        guard let version = governance.versions[digest] else {
            problems.append("it opens the case under \(id)@sha256:\(digest.hex), which was no version in force then")
            return nil
        }
        if let cached = pipelines[digest] { return cached }
        do {
            let pipeline = try Pipeline(files: try PipelineVersionFiles.load(version, from: store), path: version.name)
            guard pipeline.id == version.pipeline, pipeline.id == id else {
                problems.append("version \(version.name) holds pipeline '\(pipeline.id)'")
                return nil
            }
            pipelines[digest] = pipeline
            return pipeline
        } catch {
            problems.append("the version \(version.name) it opens the case under does not load: \(error)")
            return nil
        }
    }

    private func authorityProblems(_ predicate: StepPredicate, pipeline: Pipeline, openedBy: String) -> [String] {
        switch predicate.decision {
        case .withdraw:
            return [openedBy, pipeline.orchestrator].contains(predicate.party)
                ? [] : ["only the case's opener or the orchestrator may withdraw it"]
        case .attach:
            let signs = pipeline.steps.contains { $0.authority.signers?.permits(predicate.party) == true }
            return signs || predicate.party == openedBy
                ? []
                : [
                    "'\(predicate.party)' signs no step of '\(pipeline.id)' and did not open the case: it may attach nothing"
                ]
        case .open:
            return pipeline.openedBy.contains(predicate.party)
                ? [] : ["'\(predicate.party)' may not open a '\(pipeline.id)' case"]
        case .expire:
            return predicate.party == pipeline.orchestrator ? [] : ["only the orchestrator may expire a case"]
        case .auto:
            guard let step = pipeline.step(predicate.step), step.isAutomatic else {
                return ["'\(predicate.step)' is not an automatic step of '\(pipeline.id)'"]
            }
            return predicate.party == pipeline.orchestrator ? [] : ["only the orchestrator signs automatic steps"]
        case .approve, .reject:
            guard let step = pipeline.step(predicate.step) else {
                return ["'\(pipeline.id)' has no step '\(predicate.step)'"]
            }
            guard let signers = step.authority.signers, signers.permits(predicate.party) else {
                return ["'\(predicate.party)' may not sign step '\(step.id)' (signed by: \(step.authority))"]
            }
            return []
        }
    }

    /// The document is stored, its bytes still hash to the SHA-256 the entry signs (revision 2:
    /// a comment added to them, which the fingerprint would not see, is found) and have the
    /// fingerprint it signs.
    private mutating func documentProblems(_ subject: Statement.Attachment) -> [String] {
        let fingerprint = Fingerprint(digest: subject.fingerprint).description
        let key = DocumentKey.of(subject)
        guard checkedDocuments.insert(CaseMapHash(SHA256.hash(Array((key + " " + fingerprint).utf8)))).inserted
        else { return [] }
        do {
            guard let bytes = try store.document(key: key) else {
                return ["document '\(subject.name)' (\(fingerprint)) is not in the store"]
            }
            if let sha256 = subject.sha256, SHA256.hash(bytes) != sha256 {
                return [
                    "the stored bytes of document '\(subject.name)' are not the bytes the entry signs "
                        + "(SHA-256 \(sha256.hex))"
                ]
            }
            let actual = try XMLDocument(bytes: bytes, source: subject.name).fingerprint()
            return actual.digest == subject.fingerprint
                ? [] : ["the stored bytes of document '\(subject.name)' no longer have fingerprint \(fingerprint)"]
        } catch {
            return ["document '\(subject.name)' (\(fingerprint)): \(error)"]
        }
    }

    /// What is wrong with a stored checkpoint note's signatures, judged by the consortium as it
    /// stands at the checkpoint's size; `nil` when they are acceptable.
    func checkpointProblem(_ text: String) -> String? {
        do {
            let note = try SignedNote(parsing: text)
            let signatures = try CheckpointSignatures(
                of: note,
                checkpoint: try Checkpoint(note: note),
                governance: governance
            )
            return signatures.problems.isEmpty ? nil : signatures.problems.joined(separator: "; ")
        } catch {
            return "\(error)"
        }
    }
}
