import Foundation

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

    /// A stored checkpoint older than `checkpoint.txt` that brackets an entry's log time, with the
    /// consistency proof from it to `checkpoint.txt`.
    struct BracketingCheckpoint {
        let path: String
        let note: SignedNote
        let checkpoint: Checkpoint
        let proofPath: String
        let proof: BundleConsistencyProof
        var size: Int { Int(checkpoint.size) }
        /// `checkpoint 12 (data/checkpoints/00000012.txt)`.
        var label: String { "checkpoint \(size) (\(path))" }
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
    /// The earlier checkpoints, smallest first.
    let checkpoints: [BracketingCheckpoint]
    /// The lines of `data/log-times.txt` for entries the bag holds, in log order (none when the bag
    /// has no such file).
    let logTimes: [BundleLogTimes.Line]
    /// The lines for entries the bag does not hold (ignored).
    let strayLogTimes: [BundleLogTimes.Line]
    /// The files outside the layout's own folders (the pipeline version's schemas), by path.
    let supportFiles: [String]

    /// The log time `data/log-times.txt` gives each entry, by log index.
    let logTimeByIndex: [Int: Date]

    /// The file holding document `name` as entry `index` attached it: `NAME.xml` when no later
    /// entry attached another version, else `NAME@INDEX.xml`. Also the expected file name.
    func document(named name: String, attachedBy index: Int) -> (path: String, document: Document?) {
        let newest = entries.last { entry in entry.event.statement.attachments.contains { $0.name == name } }?.index
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
        var checkpointNotes: [Int: (path: String, bytes: [UInt8])] = [:]
        var consistencyProofs: [Int: (path: String, bytes: [UInt8])] = [:]
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
            case BundleLayout.checkpointsFolder where name.hasSuffix(BundleLayout.consistencySuffix):
                indexed(BundleLayout.consistencySuffix, into: &consistencyProofs)
            case BundleLayout.checkpointsFolder where name.hasSuffix(BundleLayout.checkpointSuffix):
                indexed(BundleLayout.checkpointSuffix, into: &checkpointNotes)
            case BundleLayout.checkpointsFolder:
                problems.append("\(path) is not named SIZE.txt or SIZE.consistency")
            case BundleLayout.documentsFolder:
                guard let (document, index) = BundleLayout.document(fromFileName: name) else {
                    problems.append("\(path) is not named NAME.xml or NAME@INDEX.xml")
                    continue
                }
                documents.append(Document(path: path, name: document, replacedVersionAt: index, bytes: bytes))
            default:
                let reserved = PipelineFiles.reservedNames.union(BundleLayout.ownNames)
                if reserved.contains(components.first ?? "") && components.count > 1 {
                    problems.append("\(path) does not belong in a bundle")
                } else if components.count > 1 || !reserved.contains(name) {
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
        let entryFiles = envelopes.merging(governanceEnvelopes) { first, _ in first }
        let allLogTimes = logTimeLines(bag, entryFiles: entryFiles, &problems)
        let logTimes = allLogTimes.filter { entryFiles[$0.index] != nil }
        let logTimeByIndex = Dictionary(uniqueKeysWithValues: logTimes.map { ($0.index, $0.time) })
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
                    statement: try parsed.governanceStatement(),
                    logTime: logTimeByIndex[index]
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
                    statement: try parsed.statement(),
                    logTime: logTimeByIndex[index]
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
        guard let checkpoint else { throw Problems(all: problems) }
        let checkpoints = bracketingCheckpoints(
            bag,
            notes: checkpointNotes,
            proofs: consistencyProofs,
            main: checkpoint.checkpoint,
            &problems
        )
        guard problems.isEmpty, let pipelineBytes else { throw Problems(all: problems) }
        return BundleContents(
            pipelineBytes: pipelineBytes,
            partyFiles: partyFiles,
            entries: entries,
            governance: governance,
            documents: documents,
            checkpointBytes: checkpoint.bytes,
            note: checkpoint.note,
            checkpoint: checkpoint.checkpoint,
            checkpoints: checkpoints,
            logTimes: logTimes,
            strayLogTimes: allLogTimes.filter { entryFiles[$0.index] == nil },
            supportFiles: supportFiles,
            logTimeByIndex: logTimeByIndex
        )
    }

    /// The lines of `data/log-times.txt` (none without the file); each of an entry the bag holds
    /// writes its index as the entry's file name does.
    private static func logTimeLines(
        _ bag: Bag,
        entryFiles: [Int: (path: String, bytes: [UInt8])],
        _ problems: inout [String]
    ) -> [BundleLogTimes.Line] {
        let path = Bag.payloadFolder + "/" + BundleLayout.logTimes[0]
        guard let bytes = bag.file(BundleLayout.logTimes) else { return [] }
        let lines: [BundleLogTimes.Line]
        do {
            lines = try BundleLogTimes.parse(bytes)
        } catch {
            problems.append("\(path) cannot be read: \(error)")
            return []
        }
        for line in lines {
            guard let file = entryFiles[line.index] else { continue }
            let name = String(file.path.split(separator: "/").last ?? "")
            if name != line.text + BundleLayout.entrySuffix {
                problems.append("\(path) writes index \(line.index) as \(line.text), not as its file \(name) does")
            }
        }
        return problems.isEmpty ? lines : []
    }

    /// The earlier checkpoints in `data/checkpoints/`: each `SIZE.txt` a checkpoint of that many
    /// entries, smaller than `main`, with its `SIZE.consistency` proof to `main`; exactly the sizes
    /// `bag-info.txt` lists as bracketing checkpoints.
    private static func bracketingCheckpoints(
        _ bag: Bag,
        notes: [Int: (path: String, bytes: [UInt8])],
        proofs: [Int: (path: String, bytes: [UInt8])],
        main: Checkpoint,
        _ problems: inout [String]
    ) -> [BracketingCheckpoint] {
        let folder = Bag.payloadFolder + "/" + BundleLayout.checkpointsFolder + "/"
        var listed: [Int] = []
        if let field = bag.value(of: BundleLayout.bracketingCheckpointsField) {
            let words = field.split(separator: " ")
            let sizes = words.compactMap { BundleLayout.index(fromFileName: String($0), suffix: "") }
            if sizes.count != words.count || sizes != sizes.sorted() || Set(sizes).count != sizes.count {
                problems.append(
                    "bag-info.txt: \(BundleLayout.bracketingCheckpointsField) must list tree sizes, ascending: \(field)"
                )
            }
            listed = sizes
        }
        for size in listed where notes[size] == nil {
            problems.append(
                "bag-info.txt lists checkpoint \(size) among the bracketing checkpoints, but \(folder) holds no "
                    + "checkpoint of \(size) entries"
            )
        }
        var checkpoints: [BracketingCheckpoint] = []
        for (size, file) in notes.sorted(by: { $0.key < $1.key }) {
            guard listed.contains(size) else {
                problems.append(
                    "\(file.path) is not among the bracketing checkpoints bag-info.txt lists "
                        + "(\(BundleLayout.bracketingCheckpointsField))"
                )
                continue
            }
            guard let proofFile = proofs[size] else {
                let expected = file.path.dropLast(BundleLayout.checkpointSuffix.count) + BundleLayout.consistencySuffix
                problems.append("\(file.path) has no consistency proof (\(expected))")
                continue
            }
            do {
                let note = try SignedNote(parsing: file.bytes)
                let checkpoint = try Checkpoint(note: note)
                let proof = try BundleConsistencyProof(parsing: proofFile.bytes)
                if checkpoint.size != UInt64(size) {
                    problems.append("\(file.path) holds a checkpoint of \(checkpoint.size) entries, not \(size)")
                } else if size == 0 || checkpoint.size >= main.size {
                    problems.append(
                        "\(file.path): a bracketing checkpoint is of 1 to \(main.size - 1) entries, fewer than "
                            + "data/checkpoint.txt"
                    )
                } else if proof.oldSize != checkpoint.size || proof.newSize != main.size {
                    problems.append(
                        "\(proofFile.path) is a proof from \(proof.oldSize) to \(proof.newSize) entries, not from "
                            + "\(size) to the \(main.size) of data/checkpoint.txt"
                    )
                } else {
                    checkpoints.append(
                        BracketingCheckpoint(
                            path: file.path,
                            note: note,
                            checkpoint: checkpoint,
                            proofPath: proofFile.path,
                            proof: proof
                        )
                    )
                }
            } catch {
                problems.append("\(file.path) or its consistency proof cannot be read: \(error)")
            }
        }
        for (size, file) in proofs.sorted(by: { $0.key < $1.key }) where notes[size] == nil {
            problems.append("\(file.path) proves a checkpoint the bundle does not hold")
        }
        return checkpoints
    }
}
