/// A bundle's payload sorted into its parts (FORMATS.md §6) and parsed, so the checks of
/// `BundleVerifier` work on typed values. Files in the layout's own folders must have the layout's
/// names and parse; files elsewhere are the pipeline's support files (its schemas).
struct BundleContents {
    /// One entry of the case, decoded, with its inclusion proof.
    struct Entry {
        let path: String
        let event: CaseEvent
        let proof: TlogProof
        var index: Int { event.index }
        var predicate: StepPredicate { event.predicate }
        /// `entry 7 (legal-review approve by lawyer at 2026-11-04T10:00:00Z)`; `entry 0 (open by bank at …)`.
        var label: String {
            let what =
                predicate.step == predicate.decision.rawValue
                ? predicate.step : "\(predicate.step) \(predicate.decision.rawValue)"
            return "entry \(index) (\(what) by \(predicate.party) at \(Timestamp.format(predicate.signedAt)))"
        }
    }

    /// One document file: the document name, the index of the entry that attached it when this is
    /// an older version, and its bytes.
    struct Document {
        let path: String
        let name: String
        let replacedVersionAt: Int?
        let bytes: [UInt8]
    }

    /// One governance entry the case rests on, decoded, with its inclusion proof.
    struct GovernanceFile {
        let path: String
        let entry: GovernanceEntry
        let proof: TlogProof
        var index: Int { entry.index }
        /// `governance entry 3 (member by bank)`.
        var label: String { "governance entry \(index) (\(entry.predicate.change.kind) by \(entry.predicate.party))" }
    }

    let pipelineBytes: [UInt8]
    /// The party files: renderings for people to read, never evidence (no check reads them).
    let partyFiles: [(path: String, bytes: [UInt8])]
    /// In log order.
    let entries: [Entry]
    /// In log order.
    let governance: [GovernanceFile]
    let documents: [Document]
    let checkpointBytes: [UInt8]
    let note: SignedNote
    let checkpoint: Checkpoint
    /// The files outside the layout's own folders (the pipeline version's schemas), by path.
    let supportFiles: [String]

    /// The file holding document `name` as entry `index` attached it: `NAME.xml` when no later
    /// entry attached another version, else `NAME@INDEX.xml`. Also the expected file name.
    func document(named name: String, attachedBy index: Int) -> (path: String, document: Document?) {
        let newest = entries.last { entry in entry.event.statement.subjects.contains { $0.name == name } }?.index
        let replaced = newest == index ? nil : index
        // The builder pads every index of the bag to one width, enough for its largest index.
        let width = BundleLayout.indexWidth(largestIndex: max(entries.last?.index ?? 0, governance.last?.index ?? 0))
        let path = ([Bag.payloadFolder] + BundleLayout.document(name, replacedVersionAt: replaced, width: width))
            .joined(separator: "/")
        return (path, documents.first { $0.name == name && $0.replacedVersionAt == replaced })
    }

    /// Every problem that keeps a payload from being read as a bundle.
    struct Problems: Error {
        let all: [String]
    }

    /// Sorts and parses the payload of `bag`; throws every problem found when there are any.
    static func parse(_ bag: Bag) throws(Problems) -> BundleContents {
        var problems: [String] = []
        var partyFiles: [(path: String, bytes: [UInt8])] = []
        var envelopes: [Int: (path: String, bytes: [UInt8])] = [:]
        var governanceEnvelopes: [Int: (path: String, bytes: [UInt8])] = [:]
        var proofs: [Int: (path: String, bytes: [UInt8])] = [:]
        var documents: [Document] = []
        var supportFiles: [String] = []
        let prefix = Bag.payloadFolder + "/"
        for (path, bytes) in bag.payload.sorted(by: { $0.key < $1.key }) {
            let components = path.dropFirst(prefix.count).split(separator: "/").map(String.init)
            let folder = components.count == 2 ? components[0] : nil
            let name = components.last ?? ""
            func indexed(_ suffix: String, into files: inout [Int: (path: String, bytes: [UInt8])]) {
                guard let index = BundleLayout.index(fromFileName: name, suffix: suffix) else {
                    problems.append("\(path) is not named INDEX\(suffix)")
                    return
                }
                guard files[index] == nil else {
                    problems.append("\(path) is a second file for log index \(index)")
                    return
                }
                files[index] = (path, bytes)
            }
            switch folder {
            case BundleLayout.partiesFolder where name.hasSuffix(BundleLayout.partySuffix):
                partyFiles.append((path, bytes))
            case BundleLayout.entriesFolder: indexed(BundleLayout.entrySuffix, into: &envelopes)
            case BundleLayout.governanceFolder: indexed(BundleLayout.entrySuffix, into: &governanceEnvelopes)
            case BundleLayout.proofsFolder: indexed(BundleLayout.proofSuffix, into: &proofs)
            case BundleLayout.documentsFolder:
                guard let (document, index) = BundleLayout.document(fromFileName: name) else {
                    problems.append("\(path) is not named NAME.xml or NAME@INDEX.xml")
                    continue
                }
                documents.append(Document(path: path, name: document, replacedVersionAt: index, bytes: bytes))
            default:
                if PipelineFiles.reservedNames.contains(components.first ?? "") && components.count > 1 {
                    problems.append("\(path) does not belong in a bundle")
                } else if components.count > 1 || !PipelineFiles.reservedNames.contains(name) {
                    supportFiles.append(path)
                }
            }
        }
        for (index, proof) in proofs.sorted(by: { $0.key < $1.key })
        where envelopes[index] == nil && governanceEnvelopes[index] == nil {
            problems.append("\(proof.path) proves an entry the bundle does not hold")
        }
        for (index, file) in governanceEnvelopes.sorted(by: { $0.key < $1.key }) where envelopes[index] != nil {
            problems.append("\(file.path) and \(envelopes[index]!.path) are both log index \(index)")
        }
        var governance: [GovernanceFile] = []
        for (index, envelope) in governanceEnvelopes.sorted(by: { $0.key < $1.key }) {
            guard let proofFile = proofs[index] else {
                problems.append("\(envelope.path) has no inclusion proof in \(prefix)\(BundleLayout.proofsFolder)/")
                continue
            }
            do {
                let parsed = try Envelope(bytes: envelope.bytes)
                let entry = GovernanceEntry(
                    index: index,
                    leafHash: MerkleHash.leaf(envelope.bytes),
                    envelope: parsed,
                    statement: try parsed.governanceStatement()
                )
                governance.append(
                    GovernanceFile(path: envelope.path, entry: entry, proof: try TlogProof(parsing: proofFile.bytes))
                )
            } catch {
                problems.append("\(envelope.path) or its proof cannot be read: \(error)")
            }
        }
        if governanceEnvelopes[0] == nil {
            problems.append("the bundle holds no genesis (\(prefix)\(BundleLayout.governanceFolder)/ has no entry 0)")
        }
        var entries: [Entry] = []
        for (index, envelope) in envelopes.sorted(by: { $0.key < $1.key }) {
            guard let proofFile = proofs[index] else {
                problems.append("\(envelope.path) has no inclusion proof in \(prefix)\(BundleLayout.proofsFolder)/")
                continue
            }
            do {
                let parsed = try Envelope(bytes: envelope.bytes)
                let event = CaseEvent(
                    index: index,
                    leafHash: MerkleHash.leaf(envelope.bytes),
                    envelope: parsed,
                    statement: try parsed.statement()
                )
                entries.append(Entry(path: envelope.path, event: event, proof: try TlogProof(parsing: proofFile.bytes)))
            } catch {
                problems.append("\(envelope.path) or its proof cannot be read: \(error)")
            }
        }
        if envelopes.isEmpty { problems.append("the bundle holds no entry (\(prefix)\(BundleLayout.entriesFolder)/)") }
        let pipelineBytes = bag.file(BundleLayout.pipeline)
        if pipelineBytes == nil { problems.append("\(prefix)\(BundleLayout.pipeline[0]) is missing") }
        var checkpoint: (bytes: [UInt8], note: SignedNote, checkpoint: Checkpoint)?
        if let bytes = bag.file(BundleLayout.checkpoint) {
            do {
                let note = try SignedNote(parsing: bytes)
                checkpoint = (bytes, note, try Checkpoint(note: note))
            } catch {
                problems.append("\(prefix)\(BundleLayout.checkpoint[0]) cannot be read: \(error)")
            }
        } else {
            problems.append("\(prefix)\(BundleLayout.checkpoint[0]) is missing")
        }
        guard problems.isEmpty, let pipelineBytes, let checkpoint else { throw Problems(all: problems) }
        return BundleContents(
            pipelineBytes: pipelineBytes,
            partyFiles: partyFiles,
            entries: entries,
            governance: governance,
            documents: documents,
            checkpointBytes: checkpoint.bytes,
            note: checkpoint.note,
            checkpoint: checkpoint.checkpoint,
            supportFiles: supportFiles
        )
    }
}
