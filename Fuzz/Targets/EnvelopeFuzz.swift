import CountersignKit

/// DSSE envelopes (`Envelope(bytes:)`), seeded with an envelope signed by the fixture key: reading
/// is deterministic and keeps the bytes, and any input that verifies under that key carries exactly
/// the payload type and payload that were signed, however the rest was mutated.
enum EnvelopeFuzz {
    static let target = FuzzTarget(
        name: "dsse-envelope",
        dictionary: "json",
        seeds: [FuzzFixtures.envelope.bytes]
    ) { bytes throws(FuzzFailure) in
        guard let envelope = try? Envelope(bytes: bytes) else {
            try FuzzFailure.expect(
                (try? Envelope(bytes: bytes)) == nil,
                "a refused envelope is accepted on a second read"
            )
            return
        }
        try FuzzFailure.expect(envelope.bytes == bytes, "the envelope does not keep its bytes")
        try FuzzFailure.expect((try? Envelope(bytes: bytes)) == envelope, "a second read gives another envelope")
        if envelope.verify(with: FuzzFixtures.logKey.publicKey) {
            try FuzzFailure.expect(
                envelope.payloadType == FuzzFixtures.envelope.payloadType
                    && envelope.payload == FuzzFixtures.envelope.payload,
                "a mutated envelope verifies with a payload that was never signed"
            )
        }
        if let statement = try? envelope.statement() {
            try FuzzFailure.expect(
                (try? Statement(json: statement.json)) == statement,
                "the envelope's statement does not survive write and read"
            )
        }
    }
}
