import CountersignKit
import Foundation
import Testing

@Suite("C2SP tlog checkpoint and cosignature")
struct CheckpointTests {
    /// The example of c2sp.org/tlog-checkpoint and c2sp.org/tlog-cosignature.
    static let specBody = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    static let specNote =
        specBody + "\n"
        + "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
        + "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"

    /// RFC 8032 §7.1 test 3 and test 2 seeds as the log's and the witness's keys; the expected keys
    /// and lines were computed independently with Python's `cryptography` package.
    static let logSeed = [UInt8](hex: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7")!
    static let witnessSeed = [UInt8](hex: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")!
    static let logVKey = "example.com/behind-the-sofa+e38c418f+AfxRzY5iGKGjjaR+0AIw8FgIFu0TujMDrF3rkRVIkIAl"
    static let logLine =
        "— example.com/behind-the-sofa 44xBj0WJ/2rXu7PuNDt5EZZxOTGy52ZK5VZkb6V258vxdNJiP5DE2Kp8EPiwWPO6m/ker32P2rkh7Zz/CFxqNK1jnws="
    static let witnessVKey = "witness.example.com/w1+e8498172+BD1AF8PoQ4lakrcKp00bfrycmCzPLsSWjMDNVfEq9GYM"
    static let witnessLine =
        "— witness.example.com/w1 6EmBcgAAAABkGFDLU5VmHzFyg1moo3QxI1Ge6wHfwylQEoWhcwJH/SvRJW3LjvpU4PIuE1VI/0HWdoZ4oGL67Rl5yx89mAducLUyBQ=="
    static let witnessTime = Date(timeIntervalSince1970: 1_679_315_147)

    static func logSigner() throws -> NoteSigner {
        try NoteSigner(name: "example.com/behind-the-sofa", key: try Ed25519PrivateKey(seed: logSeed))
    }

    static func witnessKey() throws -> Ed25519PrivateKey { try Ed25519PrivateKey(seed: witnessSeed) }

    @Test("the spec's checkpoint parses and formats back to the same body")
    func specCheckpoint() throws {
        let checkpoint = try Checkpoint(body: Self.specBody)
        #expect(checkpoint.origin == "example.com/behind-the-sofa")
        #expect(checkpoint.size == 20_852_163)
        #expect(checkpoint.rootHash.hex == "0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62")
        #expect(checkpoint.extensions.isEmpty)
        #expect(checkpoint.body == Self.specBody)
    }

    @Test("the spec's cosigned checkpoint parses; its cosignature carries the spec's time")
    func specCosignedNote() throws {
        let note = try SignedNote(parsing: Self.specNote)
        #expect(note.serialized == Self.specNote)
        #expect(try Checkpoint(note: note).size == 20_852_163)
        let cosignature = try Cosignature(note.signatures[1])
        #expect(cosignature.name == "witness.example.com/w1")
        #expect(cosignature.keyID == 0x8d66_cf3f)
        #expect(cosignature.timestamp == 1_679_315_147)
        #expect(cosignature.noteSignature == note.signatures[1])
        #expect(throws: LedgerFormatError.self) { try Cosignature(note.signatures[0]) }
    }

    @Test("signing and cosigning give the independently computed lines byte for byte")
    func knownAnswers() throws {
        let checkpoint = try Checkpoint(body: Self.specBody)
        let signer = try Self.logSigner()
        #expect(signer.verifier.vkey == Self.logVKey)
        let note = try checkpoint.signed(by: signer)
        #expect(note.signatures[0].line == Self.logLine)

        let cosignature = try Cosignature.sign(
            checkpoint,
            name: "witness.example.com/w1",
            key: try Self.witnessKey(),
            time: Self.witnessTime.addingTimeInterval(0.9)
        )
        #expect(cosignature.timestamp == 1_679_315_147)
        #expect(cosignature.time == Self.witnessTime)
        #expect(cosignature.noteSignature.line == Self.witnessLine)
        let witness = try NoteVerifier(vkey: Self.witnessVKey)
        #expect(witness.type == .cosignatureV1)
        #expect(witness.publicKey == (try Self.witnessKey()).publicKey)

        let cosigned = try note.adding(cosignature.noteSignature)
        #expect(cosigned.serialized == Self.specBody + "\n" + Self.logLine + "\n" + Self.witnessLine + "\n")
        #expect(try cosigned.verify(with: [signer.verifier, witness]) == [signer.verifier, witness])
        #expect(cosignature.isValid(for: checkpoint, by: witness))
    }

    @Test("a cosignature verifier key from transparency-dev/formats parses as type 0x04")
    func thirdPartyCosignerKey() throws {
        let vkey = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"
        let verifier = try NoteVerifier(vkey: vkey)
        #expect(verifier.type == .cosignatureV1)
        #expect(verifier.keyID == 0xda77_ade7)
        #expect(verifier.vkey == vkey)
    }

    @Test("a cosignature over another checkpoint or with another time does not verify")
    func cosignatureBinding() throws {
        let key = try Self.witnessKey()
        let witness = try NoteVerifier(name: "witness.example.com/w1", publicKey: key.publicKey, type: .cosignatureV1)
        let checkpoint = try Checkpoint(body: Self.specBody)
        let cosignature = try Cosignature.sign(checkpoint, name: witness.name, key: key, time: Self.witnessTime)
        #expect(cosignature.isValid(for: checkpoint, by: witness))

        let grown = try Checkpoint(origin: checkpoint.origin, size: checkpoint.size + 1, rootHash: checkpoint.rootHash)
        #expect(!cosignature.isValid(for: grown, by: witness))
        let moved = try SignedNote(text: grown.body, signatures: [cosignature.noteSignature])
        #expect(throws: LedgerFormatError.noteSignatureInvalid("witness.example.com/w1+e8498172")) {
            try moved.verify(with: [witness])
        }

        var bytes = cosignature.noteSignature.bytes
        bytes[7] ^= 0x01
        let retimed = try SignedNote.Signature(name: witness.name, keyID: witness.keyID, bytes: bytes)
        #expect(try Cosignature(retimed).timestamp == cosignature.timestamp ^ 1)
        #expect(!(try Cosignature(retimed)).isValid(for: checkpoint, by: witness))
        let retimedNote = try SignedNote(text: checkpoint.body, signatures: [retimed])
        #expect(throws: LedgerFormatError.noteSignatureInvalid("witness.example.com/w1+e8498172")) {
            try retimedNote.verify(with: [witness])
        }
    }

    @Test("a witness key is not a log key: the key ids differ by type, so neither verifies the other")
    func typesAreSeparate() throws {
        let key = try Self.witnessKey()
        let checkpoint = try Checkpoint(body: Self.specBody)
        let asLog = try NoteVerifier(name: "witness.example.com/w1", publicKey: key.publicKey)
        let asWitness = try NoteVerifier(name: "witness.example.com/w1", publicKey: key.publicKey, type: .cosignatureV1)
        #expect(asLog.keyID != asWitness.keyID)
        let cosignature = try Cosignature.sign(checkpoint, name: asWitness.name, key: key, time: Self.witnessTime)
        let note = try SignedNote(text: checkpoint.body, signatures: [cosignature.noteSignature])
        #expect(throws: LedgerFormatError.self) { try note.verify(with: [asLog]) }
        #expect(!cosignature.isValid(for: checkpoint, by: asLog))
    }

    @Test("a changed body line breaks the log signature")
    func tamper() throws {
        let signer = try Self.logSigner()
        let note = try Checkpoint(body: Self.specBody).signed(by: signer)
        let altered = note.serialized.replacingOccurrences(of: "20852163", with: "20852164")
        #expect(throws: LedgerFormatError.noteSignatureInvalid("example.com/behind-the-sofa+e38c418f")) {
            try SignedNote(parsing: altered).verify(with: [signer.verifier])
        }
    }

    @Test("extension lines are kept, signed and cosigned")
    func extensionLines() throws {
        let body = Self.specBody + "extension one\nextension two\n"
        let checkpoint = try Checkpoint(body: body)
        #expect(checkpoint.extensions == ["extension one", "extension two"])
        #expect(checkpoint.body == body)
        let key = try Self.witnessKey()
        let cosignature = try Cosignature.sign(checkpoint, name: "w", key: key, time: Self.witnessTime)
        let stripped = try Checkpoint(body: Self.specBody)
        let witness = try NoteVerifier(name: "w", publicKey: key.publicKey, type: .cosignatureV1)
        #expect(cosignature.isValid(for: checkpoint, by: witness))
        #expect(!cosignature.isValid(for: stripped, by: witness))
    }

    @Test(
        "malformed checkpoint bodies are refused",
        arguments: [
            "example.com/log\n5\n",
            "example.com/log\n05\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
            "example.com/log\n+5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
            "example.com/log\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
            "example.com/log\n18446744073709551616\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
            "example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2=\n",
            "example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=",
            "\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
            "example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n",
        ]
    )
    func malformed(body: String) {
        #expect(throws: LedgerFormatError.self) { try Checkpoint(body: body) }
    }

    @Test("an empty tree has size 0")
    func emptyTree() throws {
        let empty = try Checkpoint(origin: "o", size: 0, rootHash: SHA256.hash([UInt8]()))
        #expect(empty.body == "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
        #expect(try Checkpoint(body: empty.body) == empty)
    }
}
