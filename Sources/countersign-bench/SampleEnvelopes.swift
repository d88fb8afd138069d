import CountersignKit
import Foundation

/// Realistic signed ledger entries: in-toto statements of Countersign steps in DSSE envelopes.
enum SampleEnvelopes {
    static func make(count: Int, key: Ed25519PrivateKey? = nil) throws -> [[UInt8]] {
        let key = try key ?? Ed25519PrivateKey()
        let pipelineDigest = SHA256.hash(Array("pipeline".utf8))
        return try (0..<count).map { number in
            let statement = Statement(
                subjects: [try .init(name: "application", sha256: SHA256.hash(Array("doc \(number)".utf8)))],
                predicate: try StepPredicate(
                    pipeline: "mortgage-approval",
                    pipelineDigest: pipelineDigest,
                    caseID: "M-2026-\(number)",
                    step: "legal-review",
                    party: "lawyer",
                    decision: .approve,
                    signedAt: Date(timeIntervalSince1970: 1_795_000_000 + Double(number)),
                    previous: SHA256.hash(Array("prev \(number)".utf8)),
                    note: nil
                )
            )
            return try Envelope.sign(statement: statement, key: key).bytes
        }
    }
}
