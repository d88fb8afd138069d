import Foundation

/// Envelopes run through `InTotoStatementValidator`, with what failed and a count of what they
/// held (read with `JSONSerialization`, as the validator reads them), so a conformance test can
/// show it covered every kind of entry it means to.
public struct InTotoCensus: Sendable {
    /// How many envelopes were checked.
    public private(set) var envelopes = 0
    /// Each envelope that broke a rule: its label and the problems.
    public private(set) var failures: [String] = []
    /// `predicateType` → how many statements had it.
    public private(set) var predicateTypes: [String: Int] = [:]
    /// `predicate.decision` → how many statements had it (case entries).
    public private(set) var decisions: [String: Int] = [:]

    public init() {}

    /// Checks one DSSE envelope and counts it; `label` names it in `failures`.
    public mutating func check(envelope bytes: [UInt8], label: String) {
        envelopes += 1
        let problems = InTotoStatementValidator.problems(ofEnvelope: bytes)
        if !problems.isEmpty { failures.append("\(label): \(problems.joined(separator: "; "))") }
        guard let envelope = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let payload = (envelope["payload"] as? String).flatMap(InTotoStatementValidator.base64),
            let statement = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any]
        else { return }
        predicateTypes[statement["predicateType"] as? String ?? "", default: 0] += 1
        if let decision = (statement["predicate"] as? [String: Any])?["decision"] as? String {
            decisions[decision, default: 0] += 1
        }
    }

    /// Checks every `*.dsse.json` file under `folder` (bundles' entries and governance entries,
    /// inbox files), returning how many there were.
    @discardableResult
    public mutating func checkFiles(under folder: URL) throws -> Int {
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        var count = 0
        while let relative = enumerator?.nextObject() as? String {
            guard relative.hasSuffix(".dsse.json") else { continue }
            check(envelope: Array(try Data(contentsOf: folder.appendingPathComponent(relative))), label: relative)
            count += 1
        }
        return count
    }
}
