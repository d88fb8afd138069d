/// Base64 as DSSE lets an envelope carry it: RFC 4648 with the standard (§4) or the URL-safe (§5)
/// alphabet, which verifiers must both accept (DSSE protocol.md), padded or not (the envelope's
/// formal schema, envelope.proto, maps `bytes` to JSON as protobuf does, which reads either).
///
/// Everything else stays strict, so each field decodes one way only: one alphabet per field (a
/// field mixing `+` or `/` with `-` or `_` is refused), padding complete or absent (never partial),
/// zero pad bits (RFC 4648 §3.5), and no character outside the alphabet — no whitespace or line
/// breaks (§3.3: the DSSE specification allows none). Countersign itself writes standard padded
/// base64 (`StrictBase64`), which this decodes on its fast path.
enum DSSEBase64 {
    /// The bytes `encoded` encodes, or `nil` if it is not base64 of one of the two alphabets.
    static func decode(_ encoded: ArraySlice<UInt8>) -> [UInt8]? {
        if let standard = StrictBase64.decode(encoded) { return standard }
        var hasStandardOnly = false
        var hasURLSafeOnly = false
        var translated: [UInt8] = []
        translated.reserveCapacity(encoded.count + 3)
        for byte in encoded {
            switch byte {
            case UInt8(ascii: "+"), UInt8(ascii: "/"):
                hasStandardOnly = true
                translated.append(byte)
            case UInt8(ascii: "-"):
                hasURLSafeOnly = true
                translated.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"):
                hasURLSafeOnly = true
                translated.append(UInt8(ascii: "/"))
            default:
                translated.append(byte)
            }
        }
        guard !(hasStandardOnly && hasURLSafeOnly) else { return nil }
        let remainder = translated.count % 4
        if remainder != 0 {
            // Unpadded: 2 or 3 characters in the last group, and no `=` anywhere.
            guard remainder != 1, !translated.contains(UInt8(ascii: "=")) else { return nil }
            translated.append(contentsOf: repeatElement(UInt8(ascii: "="), count: 4 - remainder))
        }
        return StrictBase64.decode(translated[...])
    }
}
