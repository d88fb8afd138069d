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

    /// How far an earlier run got filing `a.dsse.json` (with `a.dsse.json.docs/`) before it was stopped.
    enum Stop: String, CaseIterable, Sendable {
        case reasonWritten, linked, documentsMoved
    }

    @Test(
        "a filing stopped after any of its steps is finished by the next run where the first put it, never twice",
        arguments: Stop.allCases,
        [false, true]
    )
    func interruptedFiling(stop: Stop, refusedBefore: Bool) throws {
        let directory = TemporaryDirectory()
        let files = FileManager.default
        let inbox = try Self.inbox(directory, ["a.dsse.json"])
        let file = inbox.folder.appendingPathComponent("a.dsse.json")
        let documents = inbox.folder.appendingPathComponent("a.dsse.json.docs")
        try files.createDirectory(at: documents, withIntermediateDirectories: true)
        try Data("<doc/>".utf8).write(to: documents.appendingPathComponent("d.xml"))
        // A file of the same name already filed: the earlier run took the hashed name.
        let destination = refusedBefore ? inbox.refused : inbox.accepted
        try files.createDirectory(at: destination, withIntermediateDirectories: true)
        try Data("another".utf8).write(to: destination.appendingPathComponent("a.dsse.json"))
        let name = "a-\(SHA256.hash(Data("a.dsse.json".utf8)).hex.prefix(12)).dsse.json"
        let target = destination.appendingPathComponent(name)
        if refusedBefore {
            try Data("the first reason\n".utf8).write(to: URL(fileURLWithPath: target.path + ".reason"))
        }
        if stop != .reasonWritten { try files.linkItem(at: file, to: target) }
        if stop == .documentsMoved {
            try files.moveItem(at: documents, to: URL(fileURLWithPath: target.path + ".docs"))
        }

        var decided = 0
        let filed = inbox.ingest(file) { _ in
            decided += 1
            if refusedBefore { throw EngineError.oversizedSubmission(path: "a", size: 1) }
            return .alreadyAccepted
        }
        // Once linked, the earlier run's decision stands: nothing is decided again.
        #expect(decided == (stop == .reasonWritten ? 1 : 0))
        #expect(filed.filedAs == name && filed.filingProblem == nil, "\(filed)")
        if refusedBefore {
            guard case .refused(let reason) = filed.outcome else {
                Issue.record("expected a refusal, got \(filed.outcome)")
                return
            }
            #expect(stop == .reasonWritten ? reason != "the first reason" : reason == "the first reason")
        } else {
            #expect(filed.outcome == .alreadyAccepted || stop == .reasonWritten)
        }
        #expect(
            try files.contentsOfDirectory(atPath: inbox.folder.path).sorted()
                == ["accepted", "refused"].filter {
                    files.fileExists(atPath: inbox.folder.appendingPathComponent($0).path)
                }
        )
        let expected = ["a.dsse.json", name, name + ".docs"] + (refusedBefore ? [name + ".reason"] : [])
        #expect(try files.contentsOfDirectory(atPath: destination.path).sorted() == expected.sorted())
        #expect(files.fileExists(atPath: target.path + ".docs/d.xml"))
        #expect(try Data(contentsOf: target) == Data("a.dsse.json".utf8))
    }

    @Test("a file hard-linked into the inbox from elsewhere is filed as any other, and keeps its other name")
    func linkedFromElsewhere() throws {
        let directory = TemporaryDirectory()
        let outside = directory.url.appendingPathComponent("b.dsse.json")
        try Data("b".utf8).write(to: outside)
        let inbox = try Self.inbox(directory, [])
        let file = inbox.folder.appendingPathComponent("b.dsse.json")
        try FileManager.default.linkItem(at: outside, to: file)
        var decided = 0
        let filed = inbox.ingest(file) { _ in
            decided += 1
            return .alreadyAccepted
        }
        #expect(decided == 1 && filed.filedAs == "b.dsse.json" && filed.outcome == .alreadyAccepted)
        #expect(FileManager.default.fileExists(atPath: outside.path))
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }
}
