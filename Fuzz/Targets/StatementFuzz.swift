import CountersignKit

/// in-toto statements (`Statement(json:)`): a statement read, written and read again is the same
/// statement, and its written form is a fixed point.
enum StatementFuzz {
    static let target = FuzzTarget(
        name: "intoto-statement",
        dictionary: "json",
        seeds: [FuzzFixtures.statement.json]
    ) { bytes throws(FuzzFailure) in
        guard let statement = try? Statement(json: bytes) else { return }
        let written = statement.json
        guard let again = try? Statement(json: written) else {
            throw FuzzFailure("the written statement is refused: \(String(decoding: written, as: UTF8.self))")
        }
        try FuzzFailure.expect(again == statement, "the statement read back differs from the one written")
        try FuzzFailure.expect(again.json == written, "writing the statement again gives other bytes")
    }
}
