import CountersignKit
import Foundation
import Testing

@Suite("Trust files (C2SP tlog-policy)")
struct BundleTrustPolicyTests {
    static func witness(_ name: String) throws -> String {
        try NoteVerifier(name: name, publicKey: try Ed25519PrivateKey().publicKey, type: .cosignatureV1).vkey
    }

    static func log(_ origin: String = "countersign.example/log") throws -> String {
        try NoteVerifier(name: origin, publicKey: try Ed25519PrivateKey().publicKey).vkey
    }

    func policy(_ text: String) throws -> TrustPolicy {
        try TrustPolicy(bytes: Array(text.utf8), path: "trust.txt")
    }

    func problems(_ text: String) -> [String] {
        do {
            _ = try TrustPolicy(bytes: Array(text.utf8), path: "trust.txt")
            return []
        } catch {
            return error.all.map(\.description)
        }
    }

    @Test("log and witness lines, comments and URLs; without a quorum line every witness must cosign")
    func defaultQuorum() throws {
        let trust = try policy(
            """
            # the consortium's log
            log \(try Self.log()) https://log.example/
              witness regulator \(try Self.witness("regulator.example/w"))
            witness auditor\t\(try Self.witness("auditor.example/w"))

            """
        )
        #expect(trust.logs.map(\.name) == ["countersign.example/log"])
        #expect(trust.witnesses.map(\.name) == ["regulator", "auditor"])
        #expect(trust.quorum.isSatisfied(by: ["regulator", "auditor"]))
        #expect(!trust.quorum.isSatisfied(by: ["regulator"]))
        #expect(try policy("log \(try Self.log())\n").quorum == .none)
    }

    @Test("groups with all, any and k-of-n thresholds make the quorum")
    func groups() throws {
        let trust = try policy(
            """
            witness x1 \(try Self.witness("x1"))
            witness x2 \(try Self.witness("x2"))
            witness x3 \(try Self.witness("x3"))
            witness y1 \(try Self.witness("y1"))
            group xs 2 x1 x2 x3
            group ys any y1
            group both all xs ys
            quorum both
            """
        )
        #expect(trust.quorum.isSatisfied(by: ["x1", "x3", "y1"]))
        #expect(!trust.quorum.isSatisfied(by: ["x1", "y1"]))
        #expect(!trust.quorum.isSatisfied(by: ["x1", "x2", "x3"]))
        #expect(try policy("witness x1 \(try Self.witness("x1"))\nquorum none\n").quorum == .none)
    }

    @Test("a genesis line pins the consortium's genesis entry by the SHA-256 of its envelope; it may stand alone")
    func genesisLine() throws {
        let hash = SHA256.hash(Array("genesis".utf8))
        let alone = try policy("# the consortium\ngenesis sha256:\(hash.hex)\n")
        #expect(alone.genesis == hash)
        #expect(alone.logs.isEmpty && alone.witnesses.isEmpty)
        #expect(alone.quorum == .none)
        let both = try policy("log \(try Self.log())\ngenesis sha256:\(hash.hex)\n")
        #expect(both.genesis == hash && both.logs.count == 1)
        #expect(try policy("log \(try Self.log())\n").genesis == nil)
        let found = problems(
            """
            genesis \(hash.hex)
            genesis sha256:\(hash.hex.uppercased())
            genesis sha256:\(hash.hex) extra
            genesis sha256:\(hash.hex)
            genesis sha256:\(hash.hex)
            """
        )
        #expect(found.count == 4, "\(found)")
        for line in 1...3 {
            #expect(
                found[line - 1].hasPrefix(
                    "trust.txt:\(line):1: error: expected `genesis sha256:HEX` (64 lowercase hex digits)"
                )
            )
        }
        #expect(found[3].hasPrefix("trust.txt:5:1: error: a policy pins at most one genesis"))
    }

    @Test("every mistake is reported at its line")
    func mistakes() throws {
        let log = try Self.log()
        let witness = try Self.witness("w")
        let found = problems(
            """
            log \(witness)
            witness w1 \(log)
            witness w2 \(witness)
            witness w3 \(witness)
            group g 3 w2
            group h any nobody
            quorum missing
            trust everything
            log not-a-key
            """
        )
        #expect(found.count == 8, "\(found)")
        #expect(found[0].hasPrefix("trust.txt:1:1: error: a log key must have signature type 0x01, not 0x04"))
        #expect(found[1].hasPrefix("trust.txt:2:1: error: a witness key must have signature type 0x04, not 0x01"))
        #expect(found[2].hasPrefix("trust.txt:4:1: error: this public key is already listed"))
        #expect(found[3].hasPrefix("trust.txt:5:1: error: group g: threshold 3 must be all, any or 1 to 1"))
        #expect(found[4].hasPrefix("trust.txt:6:1: error: group h names nobody, which no earlier line defines"))
        #expect(found[5].hasPrefix("trust.txt:7:1: error: quorum names missing"))
        #expect(found[6].hasPrefix("trust.txt:8:1: error: unknown line `trust`"))
        #expect(found[7].hasPrefix("trust.txt:9:1: error: verifier key \"not-a-key\" is not usable"))
    }
}
