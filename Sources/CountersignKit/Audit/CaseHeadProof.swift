import Foundation

/// A proof that a case's head is in the case-head map a checkpoint commits to (docs/CASE-MAP.md):
/// the head (count, newest entry's leaf hash, outcome), the sibling hashes of its path from the
/// leaf up, and the signed checkpoint whose `countersign.dev/case-map` line the path leads to.
///
/// ```
/// countersign.dev/case-head-proof/v1
/// case M-2026-0042
/// count 7
/// head HEX-LEAF-HASH
/// outcome rejected
/// BASE64-OF-A-SIBLING-HASH   (zero or more, the leaf's sibling first)
///
/// CHECKPOINT NOTE
/// ```
public struct CaseHeadProof: Hashable, Sendable {
    /// The first line of every proof.
    public static let header = "countersign.dev/case-head-proof/v1"

    public let head: CaseHead
    /// The path's sibling hashes, from the leaf's up to the root's child.
    public let siblings: [Digest]
    /// The checkpoint note, verbatim, with every signature line.
    public let note: SignedNote

    public init(head: CaseHead, siblings: [Digest], note: SignedNote) {
        self.head = head
        self.siblings = siblings
        self.note = note
    }

    /// Parses a proof exactly as docs/CASE-MAP.md writes it: every value checked for its shape.
    public init(parsing bytes: [UInt8]) throws(BundleError) {
        guard let blank = TlogProof.firstBlankLine(in: bytes) else {
            throw .malformedCaseHeadProof("no blank line separates the proof from the checkpoint")
        }
        let lines = bytes[..<blank].split(separator: 0x0A, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        guard lines.first == Self.header, lines.count >= 5 else {
            throw .malformedCaseHeadProof("the first line must be \(Self.header), then case, count, head and outcome")
        }
        func value(_ line: Int, _ name: String) throws(BundleError) -> String {
            guard lines[line].hasPrefix(name + " ") else {
                throw .malformedCaseHeadProof("line \(line + 1) must be `\(name) VALUE`")
            }
            return String(lines[line].dropFirst(name.count + 1))
        }
        let caseID = try value(1, "case")
        guard CaseID.isValid(caseID) else {
            throw .malformedCaseHeadProof("case \"\(caseID)\" is not a case id")
        }
        let countText = try value(2, "count")
        guard countText.count <= 18, let count = TlogProof.decimal(countText[...]).map(Int.init), count > 0 else {
            throw .malformedCaseHeadProof("count \"\(countText)\" is not a positive decimal without leading zeros")
        }
        let headText = try value(3, "head")
        guard headText.utf8.count == 64,
            headText.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
            let headLeaf = Digest(hex: headText)
        else {
            throw .malformedCaseHeadProof("head \"\(headText)\" is not 64 lowercase hex digits")
        }
        let outcome = try value(4, "outcome")
        guard CaseHead.outcomes.contains(outcome) else {
            throw .malformedCaseHeadProof("outcome \"\(outcome)\" is not one of \(CaseHead.outcomes.sorted())")
        }
        var siblings: [Digest] = []
        for line in lines[5...] {
            guard let hash = StrictBase64.decode(line), hash.count == SHA256.byteCount else {
                throw .malformedCaseHeadProof("sibling line \"\(line)\" is not base64 of a 32-byte hash")
            }
            siblings.append(Digest(bytes: hash))
        }
        guard siblings.count <= 256 else { throw .malformedCaseHeadProof("more than 256 siblings") }
        do {
            note = try SignedNote(parsing: Array(bytes[(blank + 2)...]))
        } catch {
            throw .malformedCaseHeadProof("the checkpoint after the blank line: \(error)")
        }
        head = CaseHead(caseID: caseID, count: count, headLeaf: headLeaf, outcome: outcome)
        self.siblings = siblings
    }

    /// The proof as text, in the documented layout.
    public var serialized: String {
        var text = Self.header + "\n"
        text += "case \(head.caseID)\ncount \(head.count)\nhead \(head.headLeaf.hex)\noutcome \(head.outcome)\n"
        for sibling in siblings { text += StrictBase64.encode(sibling.bytes) + "\n" }
        return text + "\n" + note.serialized
    }

    /// The map root the path leads to from the head.
    public var root: Digest? { CaseMap.root(of: head, siblings: siblings) }
}
