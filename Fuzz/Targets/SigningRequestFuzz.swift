import CountersignKit

/// Signing requests (`SigningRequest(json:)`, which also checks the request against itself): a
/// request read, written and read again is the same request, and its written form is a fixed point.
enum SigningRequestFuzz {
    static let target = FuzzTarget(name: "signing-request", dictionary: "json") { bytes throws(FuzzFailure) in
        guard let request = try? SigningRequest(json: bytes) else { return }
        let written = request.json
        let again: SigningRequest
        do {
            again = try SigningRequest(json: written)
        } catch {
            throw FuzzFailure("the written request is refused: \(error)")
        }
        try FuzzFailure.expect(again == request, "the request read back differs from the one written")
        try FuzzFailure.expect(again.json == written, "writing the request again gives other bytes")
    }
}
