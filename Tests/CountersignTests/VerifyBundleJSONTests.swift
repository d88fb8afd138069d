import CountersignKit
import Foundation
import TestSupport
import Testing

/// `verify-bundle --json`: one document giving every check as a record, the same checks in the same
/// order as the text output.
@Suite("verify-bundle --json")
struct VerifyBundleJSONTests {
    static let checkNames: Set<String> = [
        "bag", "contents", "governance", "pipeline", "time", "signature", "chain", "documents", "proofs", "checkpoint",
        "rules", "case-head",
    ]

    /// The document `verify-bundle --json` prints for `bag`, and its exit status.
    func document(_ fixture: BundleFixture, _ bag: URL, _ extra: String...) throws -> (Int32, [String: Any]) {
        let result = try fixture.cli.run(["verify-bundle", bag.path, "--json"] + extra)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return (result.status, try #require(object, "not one JSON object: \(result.stdout)"))
    }

    /// The records, each checked for its shape.
    func records(
        _ document: [String: Any]
    ) throws -> [(check: String, status: String, subject: String?, message: String)] {
        let checks = try #require(document["checks"] as? [[String: Any]])
        return try checks.map { record in
            #expect(Set(record.keys) == ["check", "status", "subject", "message"], "\(record)")
            let check = try #require(record["check"] as? String)
            let status = try #require(record["status"] as? String)
            #expect(Self.checkNames.contains(check), "\(record)")
            #expect(["ok", "failed", "note"].contains(status), "\(record)")
            let subject = record["subject"] as? String
            #expect(subject != nil || record["subject"] is NSNull, "\(record)")
            return (check, status, subject, try #require(record["message"] as? String))
        }
    }

    @Test("a verified bundle: every check a record, the same as the text lines, with the trust file's pins")
    func verified() throws {
        let fixture = try BundleFixture()
        try fixture.bundleCase()
        let trust = try fixture.trustFile(witness: true)
        let (status, report) = try document(fixture, fixture.bundle, "--trust", trust)
        #expect(status == 0)
        #expect(report["verified"] as? Bool == true)
        #expect(report["failure"] is NSNull)
        #expect(report["bundle"] as? String == fixture.bundle.path)
        let pins = try #require(report["trust"] as? [String: Any])
        #expect(pins["pinned"] as? Bool == true && pins["file"] as? String == trust && pins["genesis"] is NSNull)
        let bank = try NoteVerifier(name: BundleFixture.origin, publicKey: try fixture.key("bank").publicKey)
        #expect(pins["logs"] as? [String] == [bank.vkey])
        #expect((pins["witnesses"] as? [[String: String]])?.map { $0["name"] } == ["regulator"])

        let records = try records(report)
        let text = try fixture.verify(fixture.bundle, "--trust", trust).stdout.split(separator: "\n").dropLast()
        let outcomes = ["ok": "ok", "failed": "FAIL", "note": "note"]
        #expect(records.map { "\(outcomes[$0.status]!): \($0.check): \($0.message)" } == text.map(String.init))
        #expect(records.allSatisfy { $0.status != "failed" })
        let signatures = records.filter { $0.check == "signature" }
        #expect(signatures.count == (try fixture.caseIndexes().count))
        #expect(
            signatures.map(\.subject)
                == (try fixture.caseIndexes()).map { "data/entries/\(BundleTampering.padded($0)).dsse.json" }
        )
        #expect(records.filter { $0.check == "checkpoint" }.allSatisfy { $0.subject == "data/checkpoint.txt" })
    }

    @Test("a failed bundle: verified false, the first failure, and the failed record naming the file")
    func failed() throws {
        let fixture = try BundleFixture(cosigned: false)
        try fixture.bundleCase()
        let bag = try fixture.copyOfBundle()
        try Data(BundlePayloadFileTests.script.utf8).write(to: bag.appendingPathComponent("data/index.html"))
        try BundleFixture.recomputeManifests(bag)
        let (status, report) = try document(fixture, bag)
        #expect(status == 1)
        #expect(report["verified"] as? Bool == false)
        let failure = try #require(report["failure"] as? String)
        #expect(failure.hasPrefix("pipeline: data/index.html is no file of version "), "\(failure)")
        #expect((report["trust"] as? [String: Any])?["pinned"] as? Bool == false)
        let failed = try records(report).filter { $0.status == "failed" }
        #expect(failed.count == 1)
        #expect(failed.first?.check == "pipeline" && failed.first?.subject == "data/index.html")

        let broken = try fixture.copyOfBundle()
        try BundleFixture.flipByte(in: broken.appendingPathComponent("data/log-times.txt"))
        let (_, bagDocument) = try document(fixture, broken)
        let bagFailures = try records(bagDocument).filter { $0.status == "failed" }
        #expect(bagFailures.contains { $0.check == "bag" && $0.subject == "data/log-times.txt" }, "\(bagFailures)")
    }
}
