import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign sign --request FILE --key KEY --offline OUT`: signing a request on a machine with
/// no ledger. Nothing here opens a ledger or reads the workspace: the request and the key are all
/// it needs.
extension SignCommand {
    static func signRequest(_ path: String, _ arguments: ParsedArguments, in context: CommandContext) throws {
        if arguments.value("CASE") != nil {
            throw UsageError("--request FILE takes no CASE or STEP: the request names them", command: spec)
        }
        if !arguments.values("doc").isEmpty {
            throw UsageError(
                "--request FILE takes no --doc: the documents travel in the request (`countersign request --doc`)",
                command: spec
            )
        }
        guard let out = arguments.value("offline") else {
            throw UsageError("--request FILE needs --offline OUT: where to write the signed envelope", command: spec)
        }
        guard let keyPath = arguments.value("key") else {
            throw UsageError("--key FILE (or COUNTERSIGN_KEY) is required to sign", command: spec)
        }
        let request = try SigningRequest.read(from: context.resolve(path))
        if let party = arguments.value("as"), party != request.party {
            throw SigningRequestError.otherParty(requested: request.party, given: party)
        }
        let destination = context.resolve(out)
        try OutputFile.check(destination, force: arguments.flag("force"), in: context)
        let key = try KeyFile.load(context.resolve(keyPath))
        let reason = arguments.value("reason")
        let entry = try request.sign(
            key: key,
            signedAt: context.now,
            note: arguments.value("note"),
            rejectReason: reason
        )
        if context.json {
            try context.printJSON(summaryJSON(request, entry: entry, out: out))
        } else {
            summary(request, entry: entry).forEach(context.say)
        }
        let documents = request.attaches.map { DocumentUpload(name: $0.name, bytes: $0.bytes, source: path) }
        try OfflineSubmission(envelope: entry.envelope.bytes, documents: documents).write(to: destination)
        if !context.json {
            let verb = reason == nil ? "signed" : "rejected"
            context.say(
                "\(verb) \(request.step.id) of \(request.caseID) as \(request.party) offline: \(out) "
                    + "(submit it with `countersign submit \(out)` or put it in the reconcile inbox)"
            )
        }
    }

    /// What the signer signs, line by line: the case, step, party and the entry it extends, what
    /// the step requires, and every document the signature endorses, marking those it attaches.
    private static func summary(_ request: SigningRequest, entry: SignedEntry) -> [String] {
        let predicate = entry.statement.predicate
        let step = request.step
        let version = request.pipeline.version.map { " version \($0)" } ?? ""
        var lines = [
            "Signing request \(SigningRequest.format), written \(Timestamp.format(request.createdAt))"
                + (request.log.map { " from log \($0)" } ?? ""),
            "  case:      \(request.caseID)",
            "  pipeline:  \(request.pipeline.id) \"\(request.pipeline.title)\"\(version) "
                + "(sha256:\(request.pipeline.digest.hex))",
            "  step:      \(step.id), signed by \(step.signers)"
                + (step.approvedBy.isEmpty ? "" : "; approved so far by \(step.approvedBy.joined(separator: ", "))"),
            "  party:     \(request.party) (key \(entry.envelope.signatures[0].keyID ?? ""))",
            "  decision:  \(predicate.decision.rawValue)" + (predicate.note.map { ": \($0)" } ?? ""),
            "  extends:   entry \(request.head.index), leaf hash \(request.head.leafHash.hex), "
                + "signed \(Timestamp.format(request.head.signedAt))",
            "  signed at: \(Timestamp.format(predicate.signedAt))",
        ]
        if let condition = step.condition { lines.append("  if:        \(condition)") }
        for rule in step.require { lines.append("  require:   \(rule)") }
        if !step.needs.isEmpty { lines.append("  needs:     \(step.needs.joined(separator: ", "))") }
        if !step.produces.isEmpty { lines.append("  produces:  \(step.produces.joined(separator: ", "))") }
        if let dueAt = step.dueAt { lines.append("  due:       \(Timestamp.format(dueAt))") }
        if let expiresAt = request.expiresAt { lines.append("  expires:   \(Timestamp.format(expiresAt))") }
        lines.append("  documents this signature endorses (fingerprint; SHA-256 of the exact bytes):")
        let held = Dictionary(uniqueKeysWithValues: request.documents.map { ($0.name, $0) })
        let attached = Dictionary(uniqueKeysWithValues: request.attaches.map { ($0.name, $0) })
        let names = Set(held.keys).union(attached.keys).sorted()
        let width = names.map(\.count).max() ?? 0
        for name in names {
            let document = attached[name] ?? held[name]!
            let padded = name.padding(toLength: width, withPad: " ", startingAt: 0)
            var line = "    \(padded)  \(document.fingerprint)  \(document.sha256.hex)"
            if attached[name] != nil {
                line += "  attached by this signature"
                if let replaced = held[name] { line += " (replaces \(replaced.fingerprint))" }
            }
            lines.append(line)
        }
        if held.isEmpty && attached.isEmpty {
            lines.append("    (none: the signature endorses the pipeline version)")
        }
        return lines
    }

    /// `summary` as one JSON document (`--json`): `offlineJSON` with the request's pipeline and
    /// the entry it extends.
    private static func summaryJSON(_ request: SigningRequest, entry: SignedEntry, out: String) -> [String: Any] {
        offlineJSON(entry, party: request.party, out: out, attached: Set(request.attaches.map(\.name)))
            .merging([
                "pipeline": request.pipeline.id,
                "pipelineDigest": "sha256:" + request.pipeline.digest.hex,
                "previous": ["index": request.head.index, "leafHash": request.head.leafHash.hex],
            ]) { _, new in new }
    }

    /// An envelope signed offline, for `--json` (docs/JSON.md, "signed-offline"): the file it was
    /// written to, what it decides, and every document it endorses, marking those it attaches.
    static func offlineJSON(_ entry: SignedEntry, party: String, out: String, attached: Set<String>) -> [String: Any] {
        let predicate = entry.statement.predicate
        return [
            "command": spec.name,
            "envelope": out,
            "case": entry.caseID,
            "step": entry.step,
            "party": party,
            "decision": predicate.decision.rawValue,
            "signedAt": Timestamp.format(predicate.signedAt),
            "documents": entry.statement.subjects.map { subject -> [String: Any] in
                [
                    "name": subject.name, "fingerprint": "sha256:" + subject.sha256.hex,
                    "attached": attached.contains(subject.name),
                ]
            },
        ]
    }
}
