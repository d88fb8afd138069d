/// Standard base64 (RFC 4648 §4, with padding), as C2SP notes, proofs and governance keys carry it
/// and as Countersign writes DSSE envelopes (which it reads with `DSSEBase64`, more liberally).
///
/// Decoding is strict: only the standard alphabet, padding to a multiple of four characters, no
/// whitespace, and zero bits after the last byte, so every byte string has exactly one accepted
/// encoding and a stored form always re-encodes to itself.
enum StrictBase64 {
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8
    )

    /// Each byte's 6-bit value, or 0xFF for a byte outside the alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in alphabet.enumerated() { table[Int(character)] = UInt8(value) }
        return table
    }()

    /// Appends the encoding of `bytes` to `output`.
    static func encode(_ bytes: some Collection<UInt8>, into output: inout [UInt8]) {
        output.reserveCapacity(output.count + (bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            output.append(second == nil ? UInt8(ascii: "=") : alphabet[Int(group >> 6 & 0x3F)])
            output.append(third == nil ? UInt8(ascii: "=") : alphabet[Int(group & 0x3F)])
        }
    }

    /// The encoding of `bytes` as a string.
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        encode(bytes, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes `text` encodes, or `nil` if it is not canonical standard base64.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        Array(text.utf8).withUnsafeBufferPointer { decode($0) }
    }

    /// The bytes `encoded` encodes, or `nil` if it is not canonical standard base64.
    static func decode(_ encoded: ArraySlice<UInt8>) -> [UInt8]? {
        encoded.withUnsafeBufferPointer { decode($0) }
    }

    /// The bytes `encoded` encodes, or `nil` if it is not canonical standard base64.
    static func decode(_ encoded: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = encoded.count
        guard count % 4 == 0 else { return nil }
        if count == 0 { return [] }
        let padding = encoded[count - 1] != UInt8(ascii: "=") ? 0 : encoded[count - 2] != UInt8(ascii: "=") ? 1 : 2
        let fullGroups = count / 4 - 1
        return values.withUnsafeBufferPointer { values -> [UInt8]? in
            /// The 24 bits of the group at `offset`, or `nil` if a character is outside the alphabet;
            /// the last `padded` characters count as zero.
            func group(at offset: Int, padded: Int = 0) -> UInt32? {
                let a = values[Int(encoded[offset])]
                let b = values[Int(encoded[offset + 1])]
                let c = padded == 2 ? 0 : values[Int(encoded[offset + 2])]
                let d = padded >= 1 ? 0 : values[Int(encoded[offset + 3])]
                guard (a | b | c | d) & 0xC0 == 0 else { return nil }
                return UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
            }
            var valid = true
            let output = [UInt8](unsafeUninitializedCapacity: fullGroups * 3 + 3 - padding) { buffer, initialized in
                for index in 0..<fullGroups {
                    guard let bits = group(at: index * 4) else {
                        valid = false
                        return
                    }
                    buffer[index * 3] = UInt8(truncatingIfNeeded: bits >> 16)
                    buffer[index * 3 + 1] = UInt8(truncatingIfNeeded: bits >> 8)
                    buffer[index * 3 + 2] = UInt8(truncatingIfNeeded: bits)
                }
                // The last group: padding, and the bits it leaves unused must be zero.
                let unusedBits: UInt32 = padding == 2 ? 0xFFFF : padding == 1 ? 0xFF : 0
                guard let bits = group(at: fullGroups * 4, padded: padding), bits & unusedBits == 0 else {
                    valid = false
                    return
                }
                for byte in 0..<(3 - padding) {
                    buffer[fullGroups * 3 + byte] = UInt8(truncatingIfNeeded: bits >> (16 - 8 * byte))
                }
                initialized = fullGroups * 3 + 3 - padding
            }
            return valid ? output : nil
        }
    }
}
