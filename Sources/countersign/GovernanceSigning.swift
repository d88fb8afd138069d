import ArgumentParsing
import CountersignKit
import Foundation

/// `--as PARTY --key FILE [--key FILE]...` for governance changes: the first key signs as PARTY;
/// further keys co-sign (a new key's proof of possession, a rotation's new key).
struct GovernanceSigning {
    static let specs: [ArgumentSpec] = [
        .option("as", value: "PARTY", completion: DynamicValues.party.completion, help: "the party making the change"),
        .option(
            "key",
            value: "FILE",
            repeating: true,
            environment: "COUNTERSIGN_KEY",
            help: "its private key; repeat to co-sign with further keys (a new key's proof of possession)"
        ),
    ]

    let party: String
    /// The keys in the order given; the first is the signer's.
    let keys: [Ed25519PrivateKey]

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        guard let party = arguments.value("as") else {
            throw UsageError("--as PARTY is required to sign", command: arguments.spec)
        }
        let paths = arguments.values("key")
        guard !paths.isEmpty else {
            throw UsageError("--key FILE (or COUNTERSIGN_KEY) is required to sign", command: arguments.spec)
        }
        self.party = party
        self.keys = try paths.map { try KeyFile.load(context.resolve($0)) }
    }

    /// The signer's key and those of `keys` that the file declares (its new keys' proofs).
    func keys(for file: Party) -> [Ed25519PrivateKey] {
        [keys[0]] + keys.dropFirst().filter { file.key(withID: $0.publicKey.keyID) != nil }
    }
}

/// How governance commands report what each entry did.
enum GovernanceReport {
    /// `proposal 12: parties/lawyer.yaml (party lawyer): in force` / `…: pending, needs …`.
    static func line(_ receipt: Consortium.Receipt, file: String?) -> String {
        let what = receipt.summary
        let subject = file.map { "\($0) (\(what))" } ?? what
        return "proposal \(receipt.index): \(subject): "
            + (receipt.inForce ? "in force" : "pending, \(receipt.needs)")
    }

    static func json(_ receipt: Consortium.Receipt, file: String?) -> [String: Any] {
        var object: [String: Any] = [
            "id": receipt.index, "inForce": receipt.inForce, "change": receipt.summary,
        ]
        if let file { object["file"] = file }
        if !receipt.inForce { object["needs"] = receipt.needs }
        if let proposal = receipt.proposal {
            object["approvals"] = proposal.approvals.map(\.party)
        }
        return object
    }
}
