import CountersignKit
import Foundation
import TestSupport
import Testing

/// The test-only case map of docs/CASE-MAP.md (`IndependentCaseMap`) against values computed a
/// third way, with `openssl dgst -sha256` and `xxd` in bash, following the page:
///
///     leaf() { { printf '\0'; printf '%s' "$1" | openssl dgst -sha256 -binary
///                printf 'countersign.dev/case-head/v1\n%s\n%s\n%s\n%s\n' "$1" "$2" "$3" "$4" |
///                  openssl dgst -sha256 -binary; } | openssl dgst -sha256 -binary | xxd -p -c 64; }
///     node() { { printf '\1'; printf '%s%s' "$1" "$2" | xxd -r -p; } | openssl dgst -sha256 -binary | xxd -p -c 64; }
///
/// The keys' first bytes (SHA-256 of the id): `A-1` 0xbc = 1011 1100, `A-3` 0x1d = 0001 1101,
/// `A-6` 0xba = 1011 1010: differ in bit 0; share bits 0–4 and differ in bit 5.
@Suite("The independent case map: known answers from the page's definition")
struct IndependentCaseMapTests {
    typealias Head = IndependentCaseMap.Head

    /// Heads whose head leaf is the SHA-256 of "a", "b", "c".
    static let a1 = Head(
        caseID: "A-1",
        count: 3,
        headLeafHex: "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb",
        outcome: "open"
    )
    static let a3 = Head(
        caseID: "A-3",
        count: 1,
        headLeafHex: "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d",
        outcome: "rejected"
    )
    static let a6 = Head(
        caseID: "A-6",
        count: 12,
        headLeafHex: "2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6",
        outcome: "completed"
    )

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] { PlainSHA256.hash([0x01] + left + right) }

    @Test("the plain SHA-256 gives FIPS 180-4's answers and agrees with the project's over every length to 300")
    func plainSHA256() {
        #expect(
            Self.hex(PlainSHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        )
        #expect(
            Self.hex(PlainSHA256.hash(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
        #expect(
            Self.hex(PlainSHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
        for length in 0...300 {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            #expect(PlainSHA256.hash(message) == SHA256.hash(message).bytes, "length \(length)")
        }
    }

    @Test("each leaf is SHA-256(0x00 || key || SHA-256(head text)), and the head text is five lines")
    func leaves() {
        #expect(
            Self.a1.text
                == "countersign.dev/case-head/v1\nA-1\n3\nca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb\nopen\n"
        )
        #expect(Self.hex(Self.a1.leafHash) == "c7dc97acc6498ee3f69ed3f524a45f241e97f39449f15c67abd475a8fc6d0210")
        #expect(Self.hex(Self.a3.leafHash) == "a8c213c601852e169bf14bfac83d7d6200107de2a1479dfb0ddea9af65708495")
        #expect(Self.hex(Self.a6.leafHash) == "decfe2039c074dbd3f96287472b984583485af54879d570bcc083f14b8d9b1f6")
        #expect(Self.a1.key[0] == 0xbc && Self.a3.key[0] == 0x1d && Self.a6.key[0] == 0xba)
        #expect(IndependentCaseMap.bit(0, of: Self.a1.key) == 1 && IndependentCaseMap.bit(5, of: Self.a6.key) == 0)
    }

    @Test("an empty map is 32 zero bytes; one case's map is its leaf, with no sibling")
    func emptyAndSingle() {
        #expect(IndependentCaseMap.root(of: []) == [UInt8](repeating: 0, count: 32))
        #expect(IndependentCaseMap.root(of: [Self.a1]) == Self.a1.leafHash)
        #expect(IndependentCaseMap.proof(for: "A-1", in: [Self.a1]) == [])
        #expect(IndependentCaseMap.proof(for: "A-2", in: [Self.a1]) == nil)
    }

    @Test("two cases whose keys differ in bit 0 hang from the root, the 0 side on the left")
    func firstBit() {
        let heads = [Self.a1, Self.a3]
        let root = IndependentCaseMap.root(of: heads)
        #expect(Self.hex(root) == "4a8bceb8822dcf6396ef5452b32e286ff279a2b2428f5dba9d023aed2b4fb61b")
        #expect(root == Self.node(Self.a3.leafHash, Self.a1.leafHash))
        #expect(IndependentCaseMap.root(of: heads.reversed()) == root, "the root depends on the set, not the order")
        #expect(IndependentCaseMap.proof(for: "A-1", in: heads) == [Self.a3.leafHash])
        #expect(IndependentCaseMap.proof(for: "A-3", in: heads) == [Self.a1.leafHash])
    }

    @Test("two cases sharing bits 0–4 sit at depth 6, under five empty siblings")
    func sharedPrefix() throws {
        let heads = [Self.a6, Self.a1]
        let root = IndependentCaseMap.root(of: heads)
        #expect(Self.hex(root) == "35cabf8d03a82bc22a1fda3afe0ac512272e61a9448bf01c0a2ad5dc90bf2083")
        let empty = IndependentCaseMap.empty
        let proof = try #require(IndependentCaseMap.proof(for: "A-1", in: heads))
        #expect(proof == [Self.a6.leafHash, empty, empty, empty, empty, empty])
        #expect(IndependentCaseMap.fold(Self.a1, siblings: proof) == root)
        #expect(IndependentCaseMap.fold(Self.a6, siblings: proof) != root, "A-6's leaf is not where A-1's proof leads")
    }

    @Test("with three cases every proof folds back to the root, and any change to a head or a sibling does not")
    func threeCases() throws {
        let heads = [Self.a1, Self.a3, Self.a6]
        let root = IndependentCaseMap.root(of: heads)
        #expect(Self.hex(root) == "a3055f3d10d1b7391b1e7d54df681a84901fb679bab5909a9b0d0955da64d737")
        for head in heads {
            let proof = try #require(IndependentCaseMap.proof(for: head.caseID, in: heads))
            #expect(IndependentCaseMap.fold(head, siblings: proof) == root, "\(head.caseID)")
            var later = head
            later.count += 1
            #expect(IndependentCaseMap.fold(later, siblings: proof) != root)
            var flipped = proof
            flipped[0][31] ^= 1
            #expect(IndependentCaseMap.fold(head, siblings: flipped) != root)
        }
        #expect(try #require(IndependentCaseMap.proof(for: "A-3", in: heads)).count == 1)
        #expect(try #require(IndependentCaseMap.proof(for: "A-6", in: heads)).count == 6)
    }

    @Test("the proof file is the header, the siblings in base64 from the leaf up, a blank line and the checkpoint")
    func proofFile() {
        let checkpoint = "example.org/log\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— example.org/log c2ln\n"
        let text = IndependentCaseMap.proofFile(
            for: Self.a1,
            siblings: [Self.a3.leafHash, IndependentCaseMap.empty],
            checkpoint: checkpoint
        )
        #expect(
            text == "countersign.dev/case-head-proof/v1\ncase A-1\ncount 3\n"
                + "head ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb\noutcome open\n"
                + "qMITxgGFLhab8Uv6yD19YgAQfeKhR537Dd6pr2VwhJU=\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n"
                + checkpoint
        )
    }
}
