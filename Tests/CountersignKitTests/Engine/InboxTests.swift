import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("Inbox: filing, deferring, unique names")
struct InboxTests {
    /// An inbox folder in `directory` holding `names`, each a small file of its own name.
    static func inbox(_ directory: TemporaryDirectory, _ names: [String]) throws -> Inbox {
        let folder = directory.url.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in names { try Data(name.utf8).write(to: folder.appendingPathComponent(name)) }
        return Inbox(folder: folder)
    }

    @Test("a ledger failure or an unreadable file defers it: it stays in the inbox, and nothing is filed")
    func deferred() throws {
        let directory = TemporaryDirectory()
        let inbox = try Self.inbox(directory, ["a.dsse.json"])
        let file = inbox.folder.appendingPathComponent("a.dsse.json")
        let filed = inbox.ingest(file) { _ in
            throw StorageError.unreachable(location: "postgres://db", reason: "connection refused")
        }
        guard case .deferred(let reason) = filed.outcome else {
            Issue.record("expected a deferral, got \(filed.outcome)")
            return
        }
        #expect(reason.contains("connection refused") && filed.filedAs == nil)
        #expect(FileManager.default.fileExists(atPath: file.path))
        #expect(!FileManager.default.fileExists(atPath: inbox.refused.path))
        // A refusal by the store (the case moved on) is the envelope's: it is refused.
        let refused = inbox.ingest(file) { _ in
            throw StorageError.caseMovedOn(caseID: "C", expected: "a", found: "b")
        }
        #expect(refused.filedAs == "a.dsse.json")
        if case .refused = refused.outcome {} else { Issue.record("expected a refusal, got \(refused.outcome)") }
    }

    @Test("names taken in the folder gain the content's hash, then a counter: no filing ever collides")
    func uniqueNames() throws {
        let directory = TemporaryDirectory()
        var names: [String] = []
        for _ in 0..<4 {
            let inbox = try Self.inbox(directory, ["x.txt"])
            let filed = inbox.ingest(inbox.folder.appendingPathComponent("x.txt")) { _ in .alreadyAccepted }
            names.append(filed.filedAs ?? "")
        }
        #expect(names[0] == "x.txt")
        #expect(Set(names).count == 4, "\(names)")
        let hash = SHA256.hash(Data("x.txt".utf8)).hex.prefix(12)
        #expect(names[1] == "x.txt-\(hash)")
        #expect(names[2] == "x.txt-\(hash)-2" && names[3] == "x.txt-\(hash)-3")
        let refused = try FileManager.default.contentsOfDirectory(
            atPath: Inbox(folder: directory.url.appendingPathComponent("inbox")).refused.path
        )
        #expect(refused.count == 8, "4 files and 4 reasons: \(refused)")
    }

    @Test("a name ending in .json keeps its extension last when made unique, whatever its case")
    func extensionKept() throws {
        let directory = TemporaryDirectory()
        var names: [String] = []
        for _ in 0..<2 {
            let inbox = try Self.inbox(directory, ["E.DSSE.JSON"])
            names.append(
                inbox.ingest(inbox.folder.appendingPathComponent("E.DSSE.JSON")) { _ in .alreadyAccepted }.filedAs ?? ""
            )
        }
        #expect(names[0] == "E.DSSE.JSON")
        #expect(names[1].hasPrefix("E-") && names[1].hasSuffix(".DSSE.JSON"), "\(names)")
    }
}
