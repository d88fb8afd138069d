import CountersignKit
import Testing

/// A pipeline file with one mistake, and the one diagnostic it must produce.
struct ValidationCase: Sendable, CustomTestStringConvertible {
    let name: String
    let yaml: String
    let line: Int
    let column: Int
    let message: String

    var testDescription: String { name }

    /// The parties every validation case may name.
    static let parties: Set<String> = ["bank", "lawyer", "registry"]

    /// Loads the case's YAML as `case.yaml` and checks it fails with exactly the expected diagnostic.
    func check() {
        do {
            let pipeline = try Pipeline(bytes: Array(yaml.utf8), path: "case.yaml", parties: Self.parties)
            Issue.record("\(name): loaded pipeline \(pipeline.id) instead of failing")
        } catch {
            #expect(error.all.map(\.description) == ["case.yaml:\(line):\(column): error: \(message)"])
        }
    }
}
