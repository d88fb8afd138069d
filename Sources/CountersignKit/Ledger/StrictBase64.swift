/// Standard base64 (RFC 4648 §4, with padding), as DSSE envelopes and C2SP notes carry it.
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
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBufferPointer { decode(UnsafeBufferPointer($0)) }
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
        let padding = encoded[count - 1] == UInt8(ascii: "=") ? (encoded[count - 2] == UInt8(ascii: "=") ? 2 : 1) : 0
        let outputCount = count / 4 * 3 - padding
        return values.withUnsafeBufferPointer { values -> [UInt8]? in
            var valid = true
            let output = [UInt8](unsafeUninitializedCapacity: outputCount) { buffer, initialized in
                var written = 0
                var index = 0
                while index < count {
                    let last = index + 4 == count
                    let a = values[Int(encoded[index])]
                    let b = values[Int(encoded[index + 1])]
                    let c = last && padding == 2 ? 0 : values[Int(encoded[index + 2])]
                    let d = last && padding >= 1 ? 0 : values[Int(encoded[index + 3])]
                    guard (a | b | c | d) & 0xC0 == 0 else {
                        valid = false
                        break
                    }
                    let group = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    buffer[written] = UInt8(truncatingIfNeeded: group >> 16)
                    written += 1
                    if written < outputCount {
                        buffer[written] = UInt8(truncatingIfNeeded: group >> 8)
                        written += 1
                    } else if group & 0xFFFF != 0 {
                        valid = false
                        break
                    }
                    if written < outputCount {
                        buffer[written] = UInt8(truncatingIfNeeded: group)
                        written += 1
                    } else if last && group & 0xFF != 0 {
                        valid = false
                        break
                    }
                    index += 4
                }
                initialized = written
            }
            return valid ? output : nil
        }
    }
}
