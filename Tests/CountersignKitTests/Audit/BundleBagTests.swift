import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("BagIt bags: writing, validating, path safety")
struct BundleBagTests {
    static func sampleBag(case caseID: String = "C-1") throws -> Bag {
        var bag = Bag(info: [Bag.Field("External-Identifier", caseID), Bag.Field("Source-Organization", "Example")])
        try bag.add("hello\n", at: ["greeting.txt"])
        try bag.add([0, 1, 2, 255], at: ["nested", "bytes.bin"])
        return bag
    }

    /// The problems reading the bag at `url` finds; empty when it is valid.
    func problems(in url: URL) -> [String] {
        do {
            _ = try Bag.read(from: url)
            return []
        } catch {
            guard case .invalidBag(let problems) = error else { return ["\(error)"] }
            return problems
        }
    }

    func text(_ url: URL, _ name: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
    }

    @Test("a written bag has the RFC 8493 tag files and reads back with the same payload")
    func roundTrip() throws {
        let folder = TemporaryDirectory()
        let target = folder.url.appendingPathComponent("bag")
        let bag = try Self.sampleBag()
        try bag.write(to: target) { _ in false }
        #expect(try text(target, "bagit.txt") == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        #expect(
            try text(target, "bag-info.txt")
                == "External-Identifier: C-1\nSource-Organization: Example\nPayload-Oxum: 10.2\n"
        )
        let manifest = try text(target, "manifest-sha512.txt")
        #expect(
            manifest == SHA512.hash(Array("hello\n".utf8)).hex + "  data/greeting.txt\n"
                + SHA512.hash([0, 1, 2, 255] as [UInt8]).hex + "  data/nested/bytes.bin\n"
        )
        let tagManifest = try text(target, "tagmanifest-sha512.txt")
        #expect(
            tagManifest.split(separator: "\n").map { $0.split(separator: " ").last! } == [
                "bagit.txt", "bag-info.txt", "manifest-sha512.txt",
            ]
        )
        let read = try Bag.read(from: target)
        #expect(read.payload == bag.payload)
        #expect(read.value(of: "external-identifier") == "C-1")
        let siblings = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
        #expect(siblings == ["bag"], "no staging folder is left beside the bag")
    }

    @Test("reading finds every problem: a changed file, a missing one, an extra one, a wrong Oxum")
    func findsEveryProblem() throws {
        let folder = TemporaryDirectory()
        let target = folder.url.appendingPathComponent("bag")
        try Self.sampleBag().write(to: target) { _ in false }
        try Data("hellO\n".utf8).write(to: target.appendingPathComponent("data/greeting.txt"))
        try FileManager.default.removeItem(at: target.appendingPathComponent("data/nested/bytes.bin"))
        try Data("x".utf8).write(to: target.appendingPathComponent("data/extra.txt"))
        let problems = problems(in: target)
        #expect(
            problems.contains("data/greeting.txt: its SHA512 does not match manifest-sha512.txt (the file was changed)")
        )
        #expect(problems.contains("data/nested/bytes.bin is listed in manifest-sha512.txt but missing from the bag"))
        #expect(problems.contains("data/extra.txt is in the bag but not listed in manifest-sha512.txt"))
        #expect(problems.contains { $0.hasPrefix("bag-info.txt states Payload-Oxum 10.2, but the payload is 7.2") })
    }

    @Test(
        "a path component with '/', '..' or NUL, or an empty one, is refused",
        arguments: ["", ".", "..", "a/b", "x..y", "a\u{0}b"]
    )
    func unsafeComponents(component: String) throws {
        var bag = Bag()
        #expect(throws: BundleError.unsafePath(component)) { try bag.add("x", at: ["documents", component]) }
        #expect(BundleLayout.isSafeComponent(component) == false)
    }

    @Test("a manifest path that leaves the bag, or a symbolic link, makes the bag invalid without reading outside it")
    func escapingPaths() throws {
        let folder = TemporaryDirectory()
        let target = folder.url.appendingPathComponent("bag")
        try Self.sampleBag().write(to: target) { _ in false }
        try Data("secret".utf8).write(to: folder.url.appendingPathComponent("outside.txt"))
        let manifest = target.appendingPathComponent("manifest-sha512.txt")
        let original = try String(contentsOf: manifest, encoding: .utf8)
        let escaping = SHA512.hash(Array("secret".utf8)).hex + "  data/../../outside.txt\n"
        try Data((original + escaping).utf8).write(to: manifest)
        try FileManager.default.createSymbolicLink(
            at: target.appendingPathComponent("data/link.txt"),
            withDestinationURL: folder.url.appendingPathComponent("outside.txt")
        )
        let problems = problems(in: target)
        #expect(problems.contains { $0.contains("path \"data/../../outside.txt\" is not allowed there") })
        #expect(problems.contains("data/link.txt is a symbolic link; a bag holds only regular files"))
    }

    @Test("writing replaces an empty folder or a bag the caller accepts, and nothing else")
    func replacing() throws {
        let folder = TemporaryDirectory()
        let target = folder.url.appendingPathComponent("bag")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try Self.sampleBag().write(to: target) { _ in false }
        let sameCase = { (info: [Bag.Field]) in Bag(info: info).value(of: "External-Identifier") == "C-1" }
        var second = try Self.sampleBag()
        try second.add("again", at: ["second.txt"])
        try second.write(to: target, mayReplace: sameCase)
        #expect(try Bag.read(from: target).payload.keys.contains("data/second.txt"))
        #expect(
            throws: BundleError.outputExists(
                path: target.path,
                reason: "holds a bundle of another case (External-Identifier: C-1)"
            )
        ) {
            try Self.sampleBag(case: "C-2").write(to: target) {
                Bag(info: $0).value(of: "External-Identifier") == "C-2"
            }
        }
        let other = folder.url.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: other.appendingPathComponent("notes.txt"))
        #expect(throws: BundleError.outputExists(path: other.path, reason: "is not an audit bundle")) {
            try Self.sampleBag().write(to: other) { _ in true }
        }
        #expect(try String(contentsOf: other.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted() == ["bag", "other"])
    }
}
