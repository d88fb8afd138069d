import Foundation

/// `data/log-times.txt` of a bundle: the log time of every entry the bag holds, case and governance
/// entries alike, one line each, in log order:
///
/// ```
/// 00000000 2026-01-01T00:00:00Z
/// 00000017 2026-11-04T10:00:00Z
/// ```
///
/// The index is written as the entry's file name writes it (zero-padded to the bag's width), then
/// one space, the log time in RFC 3339 UTC to the second (the form Countersign writes everywhere),
/// and a newline. Nothing signs these lines by themselves: the checkpoints of the bag bound each,
/// since a checkpoint signed before the log received an entry states an earlier log time, and one
/// that includes it a later one.
enum BundleLogTimes {
    /// One line as read.
    struct Line: Equatable {
        /// The index as written (its digits, zero-padded).
        let text: String
        let index: Int
        let time: Date
    }

    /// The file for `times` (index, log time), in log order.
    static func serialized(_ times: [(index: Int, time: Date)], width: Int) -> String {
        times.sorted { $0.index < $1.index }.map {
            BundleLayout.padded($0.index, width: width) + " " + Timestamp.format($0.time) + "\n"
        }.joined()
    }

    /// Parses the file exactly as `serialized` writes it: each line `DIGITS SP TIME LF`, the
    /// indexes strictly increasing. Throws a description of the first line that is not.
    static func parse(_ bytes: [UInt8]) throws(BundleError) -> [Line] {
        guard !bytes.isEmpty else { return [] }
        guard bytes.last == 0x0A else { throw .malformedLogTimes("the last line does not end with a newline") }
        var lines: [Line] = []
        for (number, raw) in bytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let text = String(decoding: raw, as: UTF8.self)
            let parts = text.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                let index = Int(parts[0]), let time = Timestamp.parseCanonical(parts[1])
            else {
                throw .malformedLogTimes(
                    "line \(number + 1) is not `INDEX TIME` (digits, one space, RFC 3339 UTC to the second)"
                )
            }
            if let previous = lines.last, previous.index >= index {
                throw .malformedLogTimes(
                    "line \(number + 1) (index \(index)) does not come after index \(previous.index)"
                )
            }
            lines.append(Line(text: String(parts[0]), index: index, time: time))
        }
        return lines
    }
}

/// `data/checkpoints/SIZE.consistency` of a bundle: the RFC 9162 consistency proof (§2.1.4) from the
/// earlier checkpoint `data/checkpoints/SIZE.txt` to the bundle's checkpoint `data/checkpoint.txt`,
/// so the earlier tree is shown to be a prefix of the one every inclusion proof leads to:
///
/// ```
/// countersign.dev/consistency-proof@v1
/// old 12
/// new 42
/// BASE64-OF-A-HASH          (zero or more, the proof's hashes in RFC 9162 order)
/// ```
///
/// Sizes are decimal without leading zeros; each hash is standard padded base64 of 32 bytes; every
/// line ends with a newline. The roots are not repeated: they are the checkpoints' own. (The same
/// content as `countersign log consistency OLD NEW` prints as JSON, laid out as a C2SP tlog-proof is.)
struct BundleConsistencyProof: Equatable {
    /// The first line of every proof.
    static let header = "countersign.dev/consistency-proof@v1"

    let oldSize: UInt64
    let newSize: UInt64
    let hashes: [Digest]

    init(oldSize: UInt64, newSize: UInt64, hashes: [Digest]) {
        self.oldSize = oldSize
        self.newSize = newSize
        self.hashes = hashes
    }

    /// Parses a proof exactly as `serialized` writes it.
    init(parsing bytes: [UInt8]) throws(BundleError) {
        guard bytes.last == 0x0A else { throw .malformedConsistencyProof("it does not end with a newline") }
        let lines = bytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        guard lines.first == Self.header else {
            throw .malformedConsistencyProof("the first line must be \(Self.header)")
        }
        guard lines.count >= 3, let old = Self.decimal(lines[1], after: "old "),
            let new = Self.decimal(lines[2], after: "new ")
        else {
            throw .malformedConsistencyProof(
                "expected `old N` and `new N` (decimal, no leading zeros) after the header"
            )
        }
        guard old <= new else { throw .malformedConsistencyProof("old size \(old) is larger than new size \(new)") }
        var hashes: [Digest] = []
        for line in lines.dropFirst(3) {
            guard let hash = StrictBase64.decode(line), hash.count == SHA256.byteCount else {
                throw .malformedConsistencyProof("line \"\(line)\" is not base64 of a 32-byte hash")
            }
            hashes.append(Digest(bytes: hash))
        }
        self.init(oldSize: old, newSize: new, hashes: hashes)
    }

    var serialized: String {
        ([Self.header, "old \(oldSize)", "new \(newSize)"] + hashes.map { StrictBase64.encode($0.bytes) })
            .map { $0 + "\n" }.joined()
    }

    /// Whether the proof shows `old` to be a prefix of `new` (sizes and roots).
    func proves(_ old: Checkpoint, isPrefixOf new: Checkpoint) -> Bool {
        guard oldSize == old.size, newSize == new.size, let oldSize = Int(exactly: oldSize),
            let newSize = Int(exactly: newSize)
        else { return false }
        return MerkleProofVerifier.verifyConsistency(
            oldSize: oldSize,
            oldRoot: old.rootHash,
            newSize: newSize,
            newRoot: new.rootHash,
            proof: hashes
        )
    }

    /// `prefix` + an ASCII decimal without leading zeros (except `0` itself).
    private static func decimal(_ line: String, after prefix: String) -> UInt64? {
        guard line.hasPrefix(prefix) else { return nil }
        let text = line.dropFirst(prefix.count)
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), text == "0" || !text.hasPrefix("0")
        else { return nil }
        return UInt64(text)
    }
}
