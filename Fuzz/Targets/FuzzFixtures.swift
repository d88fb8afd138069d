import CountersignKit
import Foundation

/// The valid signed objects the verification targets mutate, built from fixed keys so their bytes
/// never change: a DSSE envelope over an in-toto statement, a checkpoint signed by its log and
/// cosigned by a witness, and a tlog-proof of one entry in that checkpoint.
enum FuzzFixtures {
    /// RFC 8032 §7.1 test 3's seed: the log's (and the envelope signer's) key.
    static let logKey = try! Ed25519PrivateKey(
        seed: [UInt8](hex: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7")!
    )
    /// RFC 8032 §7.1 test 2's seed: the witness's key.
    static let witnessKey = try! Ed25519PrivateKey(
        seed: [UInt8](hex: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")!
    )
    static let origin = "countersign.example/fuzz"
    static let witnessName = "witness.example/w1"
    static let logSigner = try! NoteSigner(name: origin, key: logKey)
    static let logVerifier = logSigner.verifier
    static let witnessVerifier = try! NoteVerifier(
        name: witnessName,
        publicKey: witnessKey.publicKey,
        type: .cosignatureV1
    )

    /// A statement approving step `valuation` of case `M-1`, endorsing two documents.
    static let statement = try! Statement(
        endorsing: ["application": SHA256.hash(Array("a".utf8)), "valuation": SHA256.hash(Array("v".utf8))],
        predicate: StepPredicate(
            pipeline: "mortgage-approval",
            pipelineDigest: SHA256.hash(Array("pipeline".utf8)),
            caseID: "M-1",
            step: "valuation",
            party: "bank",
            decision: .approve,
            signedAt: Date(timeIntervalSince1970: 1_790_000_000),
            previous: SHA256.hash(Array("previous".utf8)),
            attaches: [StepPredicate.AttachedDocument(name: "valuation", sha256: SHA256.hash(Array("v".utf8)))],
            note: "fuzz"
        )
    )
    static let envelope = try! Envelope.sign(statement: statement, key: logKey)

    /// The four entries of the fixture log; the proof is of `entries[provenIndex]`.
    static let entries: [[UInt8]] = (0..<4).map { Array("entry \($0)".utf8) }
    static let provenIndex = 2
    static let checkpoint: Checkpoint = {
        let leaves = entries.map(MerkleHash.leaf)
        let root = MerkleHash.node(MerkleHash.node(leaves[0], leaves[1]), MerkleHash.node(leaves[2], leaves[3]))
        return try! Checkpoint(
            origin: origin,
            size: UInt64(entries.count),
            rootHash: root,
            logTime: Date(timeIntervalSince1970: 1_790_000_000)
        )
    }()
    /// The checkpoint signed by the log and cosigned by the witness.
    static let cosignedNote: SignedNote = {
        let cosignature = try! Cosignature.sign(
            checkpoint,
            name: witnessName,
            key: witnessKey,
            time: Date(timeIntervalSince1970: 1_790_000_100)
        )
        return try! checkpoint.signed(by: logSigner).adding(cosignature.noteSignature)
    }()
    static let proof: TlogProof = {
        let leaves = entries.map(MerkleHash.leaf)
        return try! TlogProof(
            extra: Array("fuzz".utf8),
            index: UInt64(provenIndex),
            hashes: [leaves[3], MerkleHash.node(leaves[0], leaves[1])],
            note: cosignedNote
        )
    }()
}
