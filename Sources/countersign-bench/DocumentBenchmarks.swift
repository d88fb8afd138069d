import CountersignKit
import Foundation

/// Issue 3: document fingerprints and pipeline loading.
enum DocumentBenchmarks {
    static func run() throws {
        Bench.section("Documents and pipelines (issue 3)")
        try fingerprintThroughput()
        try attributeScaling()
        try pipelineLoadTime()
    }

    /// Read + parse + exclusive C14N + SHA-256 of a ~50 MB invoice, against `xmllint --exc-c14n`
    /// piped into `sha256sum` on the same file, both in MB of input per second.
    static func fingerprintThroughput() throws {
        let url = try SampleInvoice.file(bytes: 50_000_000)
        let megabytes = Double(try Data(contentsOf: url).count) / 1e6
        let command = "xmllint --exc-c14n '\(url.path)' | sha256sum"
        var ours = Double.infinity
        var theirs = Double.infinity
        for _ in 0..<4 {
            var fingerprint: Fingerprint?
            ours = min(ours, try Bench.time { fingerprint = try XMLDocument(contentsOf: url).fingerprint() })
            var output = ""
            theirs = min(theirs, try Bench.time { output = try Shell.sh(command).stdout })
            let reference = output.split(separator: " ").first.map(String.init) ?? ""
            guard let fingerprint, fingerprint.digest.hex == reference else {
                fatalError("fingerprint \(fingerprint?.description ?? "none") differs from `\(command)`: \(output)")
            }
        }
        Bench.report(
            "fingerprint \(Int(megabytes.rounded())) MB invoice (read+parse+C14N)",
            value: String(format: "%.1f MB/s", megabytes / ours),
            against: String(format: "xmllint|sha256sum %.1f MB/s", megabytes / theirs),
            ratio: theirs / ours,
            target: "≥ 1.0",
            met: theirs / ours >= 1.0
        )
    }

    /// Parse + C14N + SHA-256 of documents with 100,000 and 1,000,000 attributes, 250 to an element (issue
    /// 13): the time per attribute at 1M against that at 100k, which stays near 1 when the work is linear.
    /// (One element with 1M attributes is refused within its first kilobytes: `XMLLimits.maxAttributes`.)
    static func attributeScaling() throws {
        let element = "<e " + (0..<250).map { "a\($0)=\"\($0 % 10)\"" }.joined(separator: " ") + "/>"
        let document = { (attributes: Int) in
            Array(("<r>" + String(repeating: element, count: attributes / 250) + "</r>").utf8)
        }
        let small = document(100_000)
        let large = document(1_000_000)
        var smallTime = Double.infinity
        var largeTime = Double.infinity
        for _ in 0..<3 {
            smallTime = min(
                smallTime,
                try Bench.time { _ = try XMLDocument(bytes: small, source: "100k").fingerprint() }
            )
            largeTime = min(largeTime, try Bench.time { _ = try XMLDocument(bytes: large, source: "1M").fingerprint() })
        }
        let ratio = (largeTime / 1_000_000) / (smallTime / 100_000)
        Bench.report(
            "fingerprint 1M attributes (250 per element)",
            value: Bench.duration(largeTime),
            against: "100k attributes \(Bench.duration(smallTime))",
            ratio: ratio,
            target: "time per attribute ≤ 1.5 × at 100k",
            met: ratio <= 1.5
        )
    }

    /// Loading and checking each example pipeline (YAML, parties, steps, XPath, schemas), against
    /// reading and YAML-parsing the same bytes.
    static func pipelineLoadTime() throws {
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let folder = root.appendingPathComponent("pipelines")
        // The parties a pipeline may name: those of the example party files (as a consortium's members).
        let parties = Set(try BenchConsortium.parties(in: root).map(\.id))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { folder.appendingPathComponent($0) }
        precondition(files.count == 3, "expected the three example pipelines in \(folder.path)")
        var load = 0.0
        var floor = 0.0
        for _ in 0..<4 {
            load = max(
                load,
                try Bench.rate(seconds: 0.5) {
                    for file in files { _ = try Pipeline(contentsOf: file, parties: parties) }
                    return files.count
                }
            )
            floor = max(
                floor,
                try Bench.rate(seconds: 0.5) {
                    for file in files { _ = try YAMLNode.parse(Array(try Data(contentsOf: file)), file: file.path) }
                    return files.count
                }
            )
        }
        Bench.report(
            "load + check a pipeline (3 examples)",
            value: Bench.duration(1 / load),
            against: "read + YAML parse \(Bench.duration(1 / floor))",
            ratio: floor / load,
            target: "none set",
            met: true
        )
    }
}
