import ArgumentParsing
import CountersignKit
import Foundation

/// `--as PARTY --key FILE`, shared by every command that signs: the key is loaded (refusing files
/// others can read) and must be one the party's file registers.
struct SigningOptions {
    static let specs: [ArgumentSpec] = [
        .option("as", value: "PARTY", help: "the party signing"),
        .option(
            "key",
            value: "FILE",
            environment: "COUNTERSIGN_KEY",
            help: "that party's private key (PKCS#8 PEM, mode 0600)"
        ),
    ]

    let party: String
    let key: Ed25519PrivateKey

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        guard let party = arguments.value("as") else {
            throw UsageError("--as PARTY is required to sign", command: arguments.spec)
        }
        guard let path = arguments.value("key") else {
            throw UsageError("--key FILE (or COUNTERSIGN_KEY) is required to sign", command: arguments.spec)
        }
        self.party = party
        self.key = try KeyFile.load(context.resolve(path))
        let registry = try context.parties()
        guard let registered = registry.party(party) else {
            throw SigningError.unknownParty(party)
        }
        guard registered.key(withID: key.publicKey.keyID) != nil else {
            throw SigningError.keyNotRegistered(party: party, keyID: key.publicKey.keyID)
        }
    }
}

/// `--as/--key` that do not fit the party files.
enum SigningError: Error, CustomStringConvertible {
    case unknownParty(String)
    case keyNotRegistered(party: String, keyID: String)

    var description: String {
        switch self {
        case .unknownParty(let party): "no party '\(party)' in parties/ (run `countersign keygen \(party)`)"
        case .keyNotRegistered(let party, let keyID):
            "key \(keyID.prefix(16))… is not registered for party '\(party)' in parties/\(party).yaml"
        }
    }
}
