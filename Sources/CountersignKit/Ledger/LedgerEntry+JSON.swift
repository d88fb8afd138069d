import Foundation

extension LedgerEntry {
    /// The entry for `log show` and `export` (docs/JSON.md, "entry"): its index, leaf hash (base64,
    /// as in proofs), log time and case; the envelope's payload type and signatures' key ids; the
    /// payload decoded as the JSON statement it holds (absent when it is not JSON); and `envelope`,
    /// the exact stored bytes in base64, from which another system recomputes the leaf hash
    /// (RFC 6962: SHA-256 of 0x00 and these bytes) and checks the signatures.
    ///
    /// Nothing here is verified: `log verify` checks what the entry claims. An envelope that does
    /// not parse is shown with `problem` saying why, so a damaged entry can still be looked at.
    public var json: [String: Any] {
        var json: [String: Any] = [
            "index": index,
            "leafHash": leafHash.base64,
            "envelope": Data(envelope).base64EncodedString(),
        ]
        if let caseID { json["case"] = caseID }
        if let logTime { json["logTime"] = Timestamp.format(logTime) }
        do {
            let parsed = try Envelope(bytes: envelope)
            json["payloadType"] = parsed.payloadType
            json["signatures"] = parsed.signatures.map { ["keyid": $0.keyID ?? ""] }
            if let statement = try? JSONSerialization.jsonObject(with: Data(parsed.payload)) {
                json["statement"] = statement
            } else {
                json["problem"] = "the payload is not JSON"
            }
        } catch {
            json["problem"] = "the envelope does not parse: \(error)"
        }
        return json
    }
}
