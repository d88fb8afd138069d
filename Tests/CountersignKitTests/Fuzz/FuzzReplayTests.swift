import Foundation
import FuzzTargets
import Testing

@Suite("Fuzzing: the saved corpus and every past crash keep their properties")
struct FuzzReplayTests {
    /// `Fuzz/` at the top of the package.
    static let fuzzFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../Fuzz").standardizedFileURL

    /// The files of `Fuzz/KIND/TARGET/`, sorted (none when the folder is missing).
    static func inputs(_ kind: String, _ target: String) -> [URL] {
        let folder = fuzzFolder.appendingPathComponent(kind).appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test("every target has a corpus folder and a dictionary", arguments: FuzzTarget.all.map(\.name))
    func layout(name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        #expect(!Self.inputs("corpus", name).isEmpty || !target.seeds.isEmpty, "no seed for \(name)")
        #expect(
            FileManager.default.fileExists(
                atPath: Self.fuzzFolder.appendingPathComponent("dict/\(target.dictionary).dict").path
            )
        )
    }

    @Test("the target's seeds, corpus and past crashes keep its property", arguments: FuzzTarget.all.map(\.name))
    func replay(name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        for (index, seed) in target.seeds.enumerated() {
            #expect(throws: Never.self, "built-in seed \(index) of \(name)") { try target.check(seed) }
        }
        for url in Self.inputs("corpus", name) + Self.inputs("crashes", name) {
            let bytes = [UInt8](try Data(contentsOf: url))
            #expect(throws: Never.self, "\(url.lastPathComponent) of \(name)") { try target.check(bytes) }
        }
    }
}
