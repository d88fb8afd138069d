/// The signature lines of a checkpoint note judged by the consortium: the log's signature must be
/// under the origin the genesis fixed, by a key of the log signer the policy names (a checkpoint
/// signed by any other party is not the log's); a cosignature is named by a member's id and checked
/// with that member's keys.
public struct CheckpointSignatures: Sendable, Equatable {
    /// The log signer's key that signed it, when one did.
    public var logKey: MemberKey?
    /// Members whose cosignature verifies, with its time.
    public var cosigners: [(party: String, cosignature: Cosignature)] = []
    /// What is wrong: a line claiming a consortium key that does not verify, a wrong origin.
    public var problems: [String] = []
    /// Lines by keys the consortium does not hold for their name (ignored): the line's name and why.
    public var unknown: [(name: String, why: String)] = []

    /// Whether the log signed it and nothing claiming a consortium key failed.
    public var isAcceptable: Bool { logKey != nil && problems.isEmpty }

    /// Judges `note` (of `checkpoint`) with the keys in force in `governance`.
    public init(of note: SignedNote, checkpoint: Checkpoint, governance: any GovernanceView) throws {
        guard let settings = try governance.settings, let policy = try governance.policy else {
            problems.append("the ledger holds no consortium, so no key is the log's")
            return
        }
        if checkpoint.origin != settings.origin {
            problems.append("it names the log '\(checkpoint.origin)', but the consortium's log is '\(settings.origin)'")
        }
        let text = Array(note.text.utf8)
        let logKeys = try governance.keys(of: policy.logSigner)
        for line in note.signatures {
            if line.name == settings.origin {
                guard
                    let key = logKeys.first(where: { key in
                        (try? NoteVerifier(name: line.name, publicKey: key.publicKey))?.matches(line) == true
                    })
                else {
                    unknown.append((line.name, "by a key that is not one of the log signer '\(policy.logSigner)'"))
                    continue
                }
                let verifier = try NoteVerifier(name: line.name, publicKey: key.publicKey)
                if let revocation = key.revocation {
                    // A revoked key signs no checkpoint, whenever the signature says it was made.
                    problems.append(
                        "the log's signature is by key \(key.keyID.prefix(16))… of '\(policy.logSigner)', revoked at "
                            + "entry \(revocation.index): a revoked key signs no checkpoint"
                    )
                } else if verifier.isValidSignature(line.bytes, for: text) {
                    logKey = key
                } else {
                    problems.append(
                        "the log's signature by '\(policy.logSigner)' does not verify: the note was altered"
                    )
                }
                continue
            }
            let keys = (try? governance.keys(of: line.name)) ?? []
            guard
                let key = keys.first(where: { key in
                    (try? NoteVerifier(name: line.name, publicKey: key.publicKey, type: .cosignatureV1))?.matches(line)
                        == true
                })
            else {
                unknown.append((line.name, "by a key no member of that id holds"))
                continue
            }
            let verifier = try NoteVerifier(name: line.name, publicKey: key.publicKey, type: .cosignatureV1)
            guard let cosignature = try? Cosignature(line), cosignature.isValid(for: checkpoint, by: verifier) else {
                problems.append("the cosignature of '\(line.name)' does not verify")
                continue
            }
            if let revocation = key.revocation {
                problems.append("the cosignature of '\(line.name)' is by a key revoked at entry \(revocation.index)")
                continue
            }
            cosigners.append((line.name, cosignature))
        }
        if logKey == nil && problems.isEmpty {
            problems.append(
                "no signature of the log signer '\(policy.logSigner)' under '\(settings.origin)': it is not the log's checkpoint"
            )
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.logKey == rhs.logKey && lhs.problems == rhs.problems && lhs.unknown.map(\.name) == rhs.unknown.map(\.name)
            && lhs.unknown.map(\.why) == rhs.unknown.map(\.why)
            && lhs.cosigners.map(\.party) == rhs.cosigners.map(\.party)
    }
}
