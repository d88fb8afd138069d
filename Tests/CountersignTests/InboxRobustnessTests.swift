import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("the inbox never loses or hides a file, and no file stops the night")
struct InboxRobustnessTests {
    static let samples = ExampleWorkspace.mortgageSamples

    /// A mortgage case whose valuation the bank signed offline into `out/valuation.dsse.json`
    /// (with its report in `out/valuation.dsse.json.docs/`), not yet submitted.
    static func workspace() throws -> ExampleWorkspace {
        let w = try ExampleWorkspace(keysFor: ["bank"])
        #expect(try w.openMortgage("M-1", at: "2026-11-01T09:00:00Z").status == 0)
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-01T10:00:00Z").status == 0)
        let offline = try w.sign(
            "M-1",
            "valuation",
            as: "bank",
            at: "2026-11-01T11:00:00Z",
            "--doc",
            "valuation=\(samples)/valuation.xml",
            "--offline",
            "out/valuation.dsse.json"
        )
        #expect(offline.status == 0, "\(offline.stderr)")
        return w
    }

    /// Copies the offline envelope (and, unless `documents` is `nil`, a document folder holding
    /// `documents`) into the inbox as `name`.
    static func drop(_ w: ExampleWorkspace, as name: String, documents: [String: Data]? = [:]) throws {
        let files = FileManager.default
        try files.createDirectory(atPath: w.path("out/inbox"), withIntermediateDirectories: true)
        try files.copyItem(atPath: w.path("out/valuation.dsse.json"), toPath: w.path("out/inbox/\(name)"))
        guard let documents else { return }
        let folder = w.path("out/inbox/\(name).docs")
        try files.copyItem(atPath: w.path("out/valuation.dsse.json.docs"), toPath: folder)
        for (file, bytes) in documents { try bytes.write(to: URL(fileURLWithPath: folder + "/" + file)) }
    }

    /// Runs the nightly batch at `now`; returns its result and its report.
    static func night(_ w: ExampleWorkspace, at now: String) throws -> (CLI.Result, [String: Any]) {
        let result = try w.cli.run("reconcile", "--now", now, "--as", "bank", "--key", "out/keys/bank.pem", "--json")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
            "\(result.stdout)\(result.stderr)"
        )
        #expect(report["checkpoint"] is String, "every night completes with its checkpoint: \(result.stderr)")
        return (result, report)
    }

    /// Every file (not folder) under the inbox, at any depth, relative: to count that none is lost.
    static func inboxFiles(_ w: ExampleWorkspace) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: w.path("out/inbox"))
        var found: [String] = []
        while let next = enumerator?.nextObject() as? String {
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: w.path("out/inbox/\(next)"), isDirectory: &isFolder)
            if !isFolder.boolValue { found.append(next) }
        }
        return found.sorted()
    }

    static func outcomes(_ report: [String: Any]) -> [String] {
        (report["inbox"] as? [[String: Any]] ?? []).map { "\($0["file"]!) \($0["outcome"]!)" }
    }

    @Test("the same envelope dropped night after night is filed each time under a name of its own")
    func sameEnvelopeAgain() throws {
        let w = try Self.workspace()
        try Self.drop(w, as: "valuation.dsse.json")
        let (first, report) = try Self.night(w, at: "2026-11-02T02:00:00Z")
        #expect(first.status == 0 && Self.outcomes(report) == ["valuation.dsse.json accepted"], "\(first.stderr)")
        let entries = try w.entryCount()
        var filedAs: [String] = []
        for night in 3...5 {
            try Self.drop(w, as: "valuation.dsse.json")
            let (again, report) = try Self.night(w, at: "2026-11-0\(night)T02:00:00Z")
            #expect(again.status == 0, "\(again.stderr)")
            #expect(Self.outcomes(report) == ["valuation.dsse.json already accepted"])
            filedAs += (report["inbox"] as? [[String: Any]] ?? []).compactMap { $0["filedAs"] as? String }
        }
        #expect(try w.entryCount() == entries, "nothing appended twice")
        #expect(filedAs.count == 3 && Set(filedAs).count == 3, "\(filedAs)")
        #expect(filedAs.allSatisfy { $0.hasPrefix("valuation-") && $0.hasSuffix(".dsse.json") })
        let accepted = try FileManager.default.contentsOfDirectory(atPath: w.path("out/inbox/accepted"))
        #expect(accepted.filter { $0.hasSuffix(".dsse.json") }.count == 4)
        #expect(accepted.filter { $0.hasSuffix(".docs") }.count == 4)
    }

    @Test(
        "every file at the inbox's top is in the report: any *.json is read, anything else refused, nothing left unsaid"
    )
    func everyFileReported() throws {
        let w = try Self.workspace()
        try Self.drop(w, as: "LEGAL.DSSE.JSON")
        let inbox = w.path("out/inbox")
        try "not an envelope".write(toFile: inbox + "/legal.json", atomically: true, encoding: .utf8)
        try "a note".write(toFile: inbox + "/notes.txt", atomically: true, encoding: .utf8)
        try "in the way".write(toFile: inbox + "/refused", atomically: true, encoding: .utf8)
        try "in the way too".write(toFile: inbox + "/accepted", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: inbox + "/link.dsse.json",
            withDestinationPath: "/etc/passwd"
        )
        try FileManager.default.createDirectory(atPath: inbox + "/stray", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            atPath: inbox + "/lost.dsse.json.docs",
            withIntermediateDirectories: true
        )
        let before = Self.inboxFiles(w)

        let (result, report) = try Self.night(w, at: "2026-11-02T02:00:00Z")
        #expect(result.status == 1, "refusals and deferrals are problems")
        #expect(
            Self.outcomes(report).sorted() == [
                "LEGAL.DSSE.JSON accepted", "accepted refused", "legal.json refused", "link.dsse.json refused",
                "lost.dsse.json.docs deferred", "notes.txt refused", "refused refused", "stray deferred",
            ]
        )
        let problems = report["problems"] as? [String] ?? []
        #expect(problems.count == 7, "\(problems)")
        let counts = try #require(report["counts"] as? [String: Any])
        #expect(counts["inboxRefused"] as? Int == 5 && counts["inboxDeferred"] as? Int == 2)
        // Nothing lost: the same files, moved; the link moved as a link, never followed.
        let after = Self.inboxFiles(w).filter { !$0.hasSuffix(".reason") }
        #expect(after.count == before.count, "\(before) → \(after)")
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: inbox + "/refused/link.dsse.json")
        #expect(link == "/etc/passwd")
        let reason = try String(contentsOfFile: inbox + "/refused/notes.txt.reason", encoding: .utf8)
        #expect(reason.contains("only files named *.json are read as DSSE envelopes"))
        #expect(FileManager.default.fileExists(atPath: inbox + "/stray"))
        #expect(FileManager.default.fileExists(atPath: inbox + "/accepted/LEGAL.DSSE.JSON.docs/valuation.xml"))
    }

    @Test("an envelope already in the ledger with another document beside it is refused, not filed as accepted")
    func alreadyAcceptedWithAnotherDocument() throws {
        let w = try Self.workspace()
        try Self.drop(w, as: "valuation.dsse.json")
        #expect(try Self.night(w, at: "2026-11-02T02:00:00Z").0.status == 0)
        // A comment changes the bytes, not the fingerprint: still not the document the entry signs.
        let original = try Data(contentsOf: URL(fileURLWithPath: w.path("\(Self.samples)/valuation.xml")))
        let altered = Data(
            String(decoding: original, as: UTF8.self).replacingOccurrences(of: "?>", with: "?><!-- x -->").utf8
        )
        #expect(altered != original)
        try Self.drop(w, as: "again.dsse.json", documents: ["valuation.xml": altered])
        let (result, report) = try Self.night(w, at: "2026-11-03T02:00:00Z")
        #expect(result.status == 1)
        #expect(Self.outcomes(report) == ["again.dsse.json refused"])
        let reason = try String(contentsOfFile: w.path("out/inbox/refused/again.dsse.json.reason"), encoding: .utf8)
        #expect(reason.contains("another version of this document"), "\(reason)")
        #expect(!FileManager.default.fileExists(atPath: w.path("out/inbox/accepted/again.dsse.json")))
    }

    @Test("a document sent that the entry does not attach is refused, new or already accepted")
    func unsignedDocument() throws {
        let w = try Self.workspace()
        let extra = try Data(contentsOf: URL(fileURLWithPath: w.path("\(Self.samples)/title-deed.xml")))
        try Self.drop(w, as: "valuation.dsse.json", documents: ["title-deed.xml": extra])
        let (result, report) = try Self.night(w, at: "2026-11-02T02:00:00Z")
        #expect(result.status == 1)
        #expect(Self.outcomes(report) == ["valuation.dsse.json refused"])
        let reason = try String(contentsOfFile: w.path("out/inbox/refused/valuation.dsse.json.reason"), encoding: .utf8)
        #expect(reason.contains("document 'title-deed': it was sent with the envelope, but the entry attaches no"))
        let submitted = try w.cli.run("submit", "out/inbox/refused/valuation.dsse.json")
        #expect(submitted.status == 1, "submit refuses it too: \(submitted.stderr)")
    }
}
