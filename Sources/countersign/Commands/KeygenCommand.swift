import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign keygen PARTY`: a new Ed25519 key, or the public half of an existing one, registered
/// in `parties/PARTY.yaml`.
enum KeygenCommand: CountersignCommand {
    static let spec = CommandSpec(
        "keygen",
        abstract: "Make an Ed25519 key for a party and register its public key in parties/PARTY.yaml.",
        discussion: """
            Writes the private key as PKCS#8 PEM with mode 0600 (default out/keys/PARTY.pem) and adds \
            the public key to parties/PARTY.yaml, creating it if needed. Prints the key id and the \
            `countersign propose` command that brings the key into force: a party file is only a \
            proposal until the consortium approves it. With \
            --import, registers the public half of an existing PEM key (private PKCS#8 or public SPKI, \
            e.g. from `openssl genpkey -algorithm ed25519`) and writes no private key.
            """,
        arguments: [
            .positional(
                "PARTY",
                completion: DynamicValues.party.completion,
                help: "the party id ([a-z0-9][a-z0-9-]{0,62})"
            ),
            .option("out", value: "FILE", help: "where to write the private key (default: out/keys/PARTY.pem)"),
            .option("name", value: "TEXT", help: "display name when the party file is created"),
            .option("import", value: "FILE", help: "register the public key of this PEM file instead of making one"),
            .flag("force", help: "replace an existing private key file (never a ledger or party file)"),
        ]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let party = arguments.value("PARTY")!
        let publicKey: Ed25519PublicKey
        var privateKey: (key: Ed25519PrivateKey, path: String)?
        if let imported = arguments.value("import") {
            publicKey = try importedPublicKey(context.resolve(imported))
        } else {
            let path = context.resolve(arguments.value("out") ?? "out/keys/\(party).pem")
            if FileManager.default.fileExists(atPath: path) {
                guard arguments.flag("force") else { throw CryptoError.keyFileExists(path: path) }
                try OutputFile.check(path, force: true, replacingKey: true, in: context)
            }
            let key = try Ed25519PrivateKey()
            publicKey = key.publicKey
            privateKey = (key, path)
        }
        try PartyFile.register(
            publicKey,
            party: party,
            name: arguments.value("name"),
            directory: context.workspace.appendingPathComponent("parties"),
            displayPath: "parties"
        )
        if let privateKey {
            try KeyFile.write(privateKey.key, to: privateKey.path, overwrite: arguments.flag("force"))
        }
        let propose =
            "countersign propose parties/\(party).yaml --as \(party) --key \(arguments.value("out") ?? arguments.value("import").map { _ in "FILE" } ?? "out/keys/\(party).pem")"
        if context.json {
            try context.printJSON([
                "party": party, "keyID": publicKey.keyID, "keyFile": privateKey?.path as Any, "propose": propose,
            ])
        } else {
            context.say(publicKey.keyID)
            context.say(
                "the key is a proposal until the consortium approves it: \(propose)"
                    + " (to rotate, also give --key with a key of \(party) in force)"
            )
        }
    }

    /// The public key in a PEM file: SPKI, or the public half of a PKCS#8 private key (which must
    /// be private to its owner, like any key file).
    private static func importedPublicKey(_ path: String) throws -> Ed25519PublicKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CryptoError.keyFileUnreadable(path: path, reason: "no such file or not readable")
        }
        let text = String(decoding: data, as: UTF8.self)
        if text.contains("-----BEGIN PUBLIC KEY-----") { return try Ed25519PublicKey(pem: text) }
        return try KeyFile.load(path).publicKey
    }
}
