import CountersignKit
import Foundation

/// BagIt manifests and tag files (`Bag.read(from:)`): the input's first byte picks one tag file of a
/// valid bag and the rest replaces it. Every tag file but the tag manifest is itself listed in the
/// tag manifest, so a bag with any of them changed is refused; a bag with its tag manifest changed
/// may be accepted only with the very payload and metadata that were written.
enum BagFuzz {
    /// The tag files an input may replace, by its first byte modulo their count.
    static let tagFiles = ["bagit.txt", "bag-info.txt", "manifest-sha512.txt", "tagmanifest-sha512.txt"]

    /// The bag every input mutates.
    static let original: Bag = {
        var bag = Bag(info: [Bag.Field("Source-Organization", "Countersign fuzzing"), Bag.Field("Case", "M-1")])
        try! bag.add(XMLFixtures.valuationBytes, at: ["documents", "valuation.xml"])
        try! bag.add("100% of the\rloan", at: ["notes", "100%.txt"])
        return bag
    }()

    /// The original bag's files, written once per process to a folder of its own.
    static let folder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("countersign-fuzz-bag-\(UUID())")
        try! original.write(to: folder, mayReplace: { _ in false })
        return folder
    }()

    static let target = FuzzTarget(
        name: "bag-tag-file",
        dictionary: "text",
        seeds: tagFiles.enumerated().map { file in
            [UInt8(file.offset)] + original.files.first { $0.path == file.element }!.bytes
        }
    ) { bytes throws(FuzzFailure) in
        guard let selector = bytes.first else { return }
        let name = tagFiles[Int(selector) % tagFiles.count]
        let replacement = Array(bytes.dropFirst())
        let url = folder.appendingPathComponent(name)
        let kept = original.files.first { $0.path == name }!.bytes
        do {
            try Data(replacement).write(to: url)
        } catch {
            throw FuzzFailure("cannot write \(url.path): \(error)")
        }
        defer { try? Data(kept).write(to: url) }
        guard let read = try? Bag.read(from: folder) else { return }
        try FuzzFailure.expect(
            name == "tagmanifest-sha512.txt" || replacement == kept,
            "a bag whose \(name) was changed is accepted"
        )
        try FuzzFailure.expect(
            read.payload == original.payload && read.value(of: "Case") == "M-1"
                && read.value(of: "Payload-Oxum") == original.payloadOxum,
            "an accepted bag holds another payload or metadata than the one written"
        )
    }
}
