import CountersignKit
import Foundation
import TestSupport
import Testing

/// A governance entry's signatures need not name their keys (DSSE makes `keyid` optional): each is
/// matched to the key that verifies among the maker's keys and those the change lists.
@Suite("Governance signatures without keyids")
struct GovernanceSignerTests {
    static let founding = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    /// A ledger founded by `bank`, with `lawyer` proposed by bank (bank's signature and lawyer's new
    /// key's proof of possession), as Countersign writes them.
    struct Fixture {
        let folder = TemporaryDirectory()
        let bank: Ed25519PrivateKey
        let lawyer: Ed25519PrivateKey
        let entries: [LedgerEntry]

        init() throws {
            bank = try Ed25519PrivateKey()
            lawyer = try Ed25519PrivateKey()
            let location = try StoreKind.sqlite.freshLocation(in: folder)
            let ledger = Ledger(store: try LedgerLocation(location, workspace: folder.url).open())
            let consortium = Consortium(ledger: ledger)
            _ = try consortium.found(
                founder: try Self.party("bank", bank),
                keys: [bank],
                origin: "countersign.test/governance",
                clock: .simulated,
                signedAt: GovernanceSignerTests.founding
            )
            _ = try consortium.propose(
                member: try Self.party("lawyer", lawyer),
                as: "bank",
                keys: [bank, lawyer],
                signedAt: GovernanceSignerTests.founding + 60
            )
            entries = try ledger.store.entries(ofCase: LedgerChain.consortium)
        }

        static func party(_ id: String, _ key: Ed25519PrivateKey) throws -> Party {
            let text =
                "party: \(id)\nname: \(id.capitalized)\nkeys:\n  - ed25519: "
                + Data(key.publicKey.spkiDER).base64EncodedString() + "\n"
            return try Party(bytes: Array(text.utf8), path: "parties/\(id).yaml")
        }

        /// Entry `index` written again by `writer`, its signatures as `keyIDs` say (in order; the
        /// stored signatures' bytes, or those of `signatures` when given).
        func rewritten(
            _ index: Int,
            _ writer: DSSEWriter = DSSEWriter(alphabet: .urlSafe, padded: false, extraMembers: #""note":1"#),
            keyIDs: [DSSEWriter.KeyID],
            signatures: [[UInt8]]? = nil
        ) throws -> GovernanceEntry {
            let stored = try Envelope(bytes: entries[index].envelope)
            let bytes = writer.envelope(
                payloadType: stored.payloadType,
                payload: stored.payload,
                signatures: zip(signatures ?? stored.signatures.map(\.bytes), keyIDs).map {
                    DSSEWriter.Signature(bytes: $0.0, keyID: $0.1)
                }
            )
            let envelope = try Envelope(bytes: bytes)
            return GovernanceEntry(
                index: index,
                leafHash: MerkleHash.leaf(bytes),
                envelope: envelope,
                statement: try envelope.governanceStatement(),
                logTime: entries[index].logTime
            )
        }

        /// The state after the genesis as stored.
        func founded() throws -> GovernanceState {
            try GovernanceState(folding: [try GovernanceEntry(entries[0])])
        }
    }

    @Test("a genesis whose founder's signature names no key is the genesis")
    func genesisWithoutKeyID() throws {
        let fixture = try Fixture()
        for keyID in [DSSEWriter.KeyID.absent, .empty, .null] {
            var state = GovernanceState()
            try state.apply(try fixture.rewritten(0, keyIDs: [keyID]))
            #expect(state.genesis?.founder == "bank")
            #expect(state.keys[fixture.bank.publicKey.keyID]?.party == "bank")
        }
    }

    @Test("a member proposal whose maker's and new key's signatures name no key applies, in either order")
    func proposalWithoutKeyIDs() throws {
        let fixture = try Fixture()
        let stored = try Envelope(bytes: fixture.entries[1].envelope).signatures.map(\.bytes)
        for signatures in [stored, stored.reversed()] {
            var state = try fixture.founded()
            try state.apply(try fixture.rewritten(1, keyIDs: [.absent, .empty], signatures: signatures))
            #expect(state.keys[fixture.lawyer.publicKey.keyID]?.party == "lawyer")
        }
        // One keyid given, the other left out.
        var state = try fixture.founded()
        try state.apply(try fixture.rewritten(1, keyIDs: [.value(fixture.bank.publicKey.keyID), .absent]))
        #expect(state.members["lawyer"] != nil)
    }

    @Test("refused: a keyid naming the other key, a signature twice, a stranger's signature, no proof of possession")
    func refusals() throws {
        let fixture = try Fixture()
        let stored = try Envelope(bytes: fixture.entries[1].envelope).signatures.map(\.bytes)
        let bank = fixture.bank.publicKey.keyID
        let lawyer = fixture.lawyer.publicKey.keyID
        func reason(_ entry: GovernanceEntry) throws -> String? {
            var state = try fixture.founded()
            do {
                try state.apply(entry)
                return nil
            } catch {
                return error.reason
            }
        }
        #expect(
            try reason(try fixture.rewritten(1, DSSEWriter(), keyIDs: [.value(lawyer), .value(bank)]))
                == Envelope.Signature.misnamedReason(keyID: lawyer, verifying: bank)
        )
        #expect(
            try reason(try fixture.rewritten(1, keyIDs: [.absent, .absent], signatures: [stored[0], stored[0]]))
                == "key \(bank.prefix(16))… signs it twice: each key signs an entry once"
        )
        let stranger = try Ed25519PrivateKey()
        let forged = try stranger.signature(
            for: try Envelope(bytes: fixture.entries[1].envelope).preAuthenticationEncoding
        )
        #expect(
            try reason(try fixture.rewritten(1, keyIDs: [.absent, .absent], signatures: [stored[0], forged]))
                == "a signature that names no key (no keyid) verifies with no key of 'bank' nor any key the entry "
                + "adds: the entry was altered or signed with another key"
        )
        #expect(
            try reason(try fixture.rewritten(1, keyIDs: [.absent], signatures: [stored[0]]))?
                .hasPrefix("it adds key \(lawyer.prefix(16))… but is not signed by it") == true
        )
    }
}
