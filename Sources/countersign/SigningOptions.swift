import ArgumentParsing
import CountersignKit
import Foundation

/// `--as PARTY --key FILE`, shared by every command that signs: the key is loaded (refusing files
/// others can read, encrypted ones and anything but Ed25519). Whether the consortium holds it in
/// force for the party is the ledger's to decide, in each command's checks.
struct SigningOptions {
    static let specs: [ArgumentSpec] = [
        .option("as", value: "PARTY", completion: DynamicValues.party.completion, help: "the party signing"),
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
    }
}
