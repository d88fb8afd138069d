import Foundation

/// The consortium as CONSORTIUM.md describes it, kept by the test alone: members and their keys
/// (validity windows, revocations in force from a log position on), the policy, the proposals with
/// their approvals, the pipeline versions in force, and the cases of the test's tiny pipelines.
///
/// For every attempted action it says whether the engine must accept it and, when it must, whether
/// the change is in force at once or pending. It is written from the contract's "Changes" table and
/// its "Commands" paragraph, not from `GovernanceState`. Where the contract is silent the engine had
/// to choose; each such rule here is marked **Contract silent** and says what the engine does (seen
/// from outside: docs/DECISIONS.md does not cover governance and docs/GOVERNANCE.md does not exist yet).
struct GovernanceModel {
    /// One key as a party file declares it.
    struct DeclaredKey: Hashable {
        let id: String
        let since: Date?
        let until: Date?
    }

    /// What a party file declares: the party, its display name, its keys in file order.
    struct Declaration: Hashable {
        let party: String
        let name: String
        let keys: [DeclaredKey]
    }

    /// `quorum K of [ADMIN...]`, and the member whose key signs the log.
    struct Policy: Hashable {
        let admins: Set<String>
        let quorum: Int
        let logSigner: String
    }

    /// A step of a test pipeline: who may sign it, and the steps it waits for.
    struct Step {
        let id: String
        let signers: Set<String>
        let after: [String]
    }

    /// A version of a test pipeline, described by hand beside its YAML (not read from the engine).
    struct Version {
        let pipeline: String
        /// The version's digest (hex), the opaque name the engine gives it.
        let digest: String
        let openedBy: Set<String>
        let orchestrator: String
        let steps: [Step]

        /// Every party the file names.
        var parties: Set<String> {
            openedBy.union([orchestrator]).union(steps.flatMap(\.signers))
        }

        func step(_ id: String) -> Step? { steps.first { $0.id == id } }
    }

    /// What a proposal would change.
    enum Change: Hashable {
        case member(Declaration)
        case pipeline(digest: String)
        case revocation(party: String, keyID: String)
        case policy(Policy)
    }

    /// A key in force (or once in force) for a member.
    struct Key {
        let id: String
        let party: String
        var since: Date?
        var until: Date?
        /// The log index from which the key is revoked.
        var revokedAt: Int?

        var isLive: Bool { revokedAt == nil }

        /// `since` inclusive, `until` exclusive (FORMATS.md §1).
        func isInWindow(at time: Date) -> Bool {
            (since.map { $0 <= time } ?? true) && (until.map { time < $0 } ?? true)
        }
    }

    struct Member {
        let id: String
        var name: String
        /// Every key it has had in force, in the order they came into force.
        var keyIDs: [String]
    }

    struct Proposal {
        let index: Int
        let proposer: String
        let change: Change
        /// Who approved it: the proposer's own entry first (when an admin made it), then each approval.
        var approvals: [String]
        var inForceAt: Int?

        var isPending: Bool { inForceAt == nil }
    }

    /// A case of a test pipeline: the version it was opened under and the steps done.
    struct Case {
        let version: String
        var done: Set<String> = []
    }

    /// Something a party tries. Keys are named by key id; `key` is the one the signer signs with.
    enum Action {
        case found(Declaration)
        /// A party file proposed by `by`, signed with `key` (none: a joining party signs with its new
        /// keys alone) and co-signed by `proofs` (new keys' proofs of possession).
        case proposeMember(Declaration, by: String, key: String?, proofs: [String])
        case proposePipeline(digest: String, by: String, key: String)
        case approve(Int, by: String, key: String)
        case revoke(party: String, keyID: String, by: String, key: String)
        case proposePolicy(Policy, by: String, key: String)
        case open(caseID: String, version: String, by: String, key: String)
        case sign(caseID: String, step: String, by: String, key: String)

        var isCaseEntry: Bool {
            switch self {
            case .open, .sign: true
            default: false
            }
        }
    }

    /// Why an action must be refused.
    enum Refusal: String, CaseIterable, Error, Comparable {
        // Signing keys (governance and case entries alike).
        case unknownKey = "signed with a key no member has in force"
        case foreignKey = "signed with another party's key"
        case revokedKey = "signed with a revoked key"
        case keyOutsideWindow = "signed outside the key's window"
        // Governance.
        case alreadyFounded = "genesis on a ledger with entries"
        case notMember = "by a party that is not a member"
        case notAdmin = "by a party that is not an admin"
        case othersFile = "another party's file changed by a non-admin"
        case changesNothing = "changes nothing"
        case keyOfAnotherParty = "adds a key that belongs to another party"
        case noProofOfPossession = "a new key that does not sign"
        case keyDropped = "a file that leaves out a key in force"
        case invalidPolicy = "an impossible policy"
        case quorumWithoutKeys = "a policy whose admins hold fewer keys in force than its quorum"
        case logSignerWithoutKey = "a policy whose log signer holds no key in force"
        case namesNonMember = "a pipeline naming a party that is not a member"
        case noSuchProposal = "approval of no proposal"
        case notPending = "approval of a proposal already in force"
        case approvedTwice = "a second approval by the same admin"
        case alreadyProposed = "the same change as a pending proposal"
        case noLongerApplies = "approval of a change that no longer applies"
        case noSuchKey = "revocation of a key the party does not have"
        case alreadyRevoked = "revocation of a revoked key"
        // Cases.
        case versionNotInForce = "opening under a version not in force"
        case mayNotOpen = "opening by a party the version does not let open"
        case alreadyOpen = "opening a case that exists"
        case caseClosed = "signing a completed case"
        case mayNotSign = "signing a step by a party it does not name"
        case stepDone = "signing a step already done"
        case notReady = "signing a step whose `after` is not done"

        /// Refusals that only the signing key explains.
        var isKeyRefusal: Bool { [.unknownKey, .foreignKey, .revokedKey, .keyOutsideWindow].contains(self) }

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// What the engine must do with an action.
    enum Verdict: Hashable, CustomStringConvertible {
        case refused(Refusal)
        /// In force at once, no proposal (genesis, a rotation, a party's own revocation).
        case atOnce
        /// A proposal; `inForce` when the proposer's own approval completes the quorum.
        case proposed(inForce: Bool)
        /// An approval; `inForce` when it completes the quorum.
        case approved(inForce: Bool)
        /// A case entry appended.
        case appended

        var isAccepted: Bool {
            if case .refused = self { return false }
            return true
        }

        var description: String {
            switch self {
            case .refused(let refusal): "refused (\(refusal.rawValue))"
            case .atOnce: "in force at once"
            case .proposed(let inForce): inForce ? "proposed, in force" : "proposed, pending"
            case .approved(let inForce): inForce ? "approved, in force" : "approved, pending"
            case .appended: "appended"
            }
        }
    }

    /// Every version the test can propose, by digest.
    let catalog: [String: Version]
    /// Entries in the log (governance and case entries): the next entry's index.
    var size = 0
    var members: [String: Member] = [:]
    /// Every key ever in force, by key id.
    var keys: [String: Key] = [:]
    var policy: Policy?
    var proposals: [Int: Proposal] = [:]
    /// Version digests in force by pipeline id, oldest first.
    var versions: [String: [String]] = [:]
    var cases: [String: Case] = [:]

    init(catalog: [Version]) {
        self.catalog = Dictionary(uniqueKeysWithValues: catalog.map { ($0.digest, $0) })
    }

    // MARK: Queries

    func isAdmin(_ party: String) -> Bool { policy?.admins.contains(party) ?? false }

    /// The keys of `party` not revoked, in the order they came into force.
    func liveKeys(of party: String) -> [Key] {
        (members[party]?.keyIDs ?? []).compactMap { keys[$0] }.filter(\.isLive)
    }

    /// The keys `party` may sign with at `time`: live and inside their windows.
    func usableKeys(of party: String, at time: Date) -> [Key] {
        liveKeys(of: party).filter { $0.isInWindow(at: time) }
    }

    /// The approvals of a proposal that count: those of the admins in force ("approved under the
    /// policy"). **Contract silent** on approvals given by a party that has since stopped being an
    /// admin: the engine counts only current admins (`GovernanceState.countedApprovals`' doc).
    func counted(_ approvals: [String]) -> Int {
        Set(approvals).filter(isAdmin).count
    }

    func versionIsInForce(_ digest: String) -> Bool {
        guard let version = catalog[digest] else { return false }
        return versions[version.pipeline, default: []].contains(digest)
    }

    // MARK: Performing

    /// Applies `action` at `time` when the contract accepts it (the log grows by one entry), and
    /// says what the engine must do.
    mutating func perform(_ action: Action, at time: Date) -> Verdict {
        var next = self
        do {
            let verdict = try next.apply(action, at: time)
            next.size += 1
            self = next
            return verdict
        } catch {
            return .refused(error)
        }
    }

    private mutating func apply(_ action: Action, at time: Date) throws(Refusal) -> Verdict {
        switch action {
        case .found(let founder): return try found(founder)
        case .proposeMember(let file, let party, let key, let proofs):
            return try proposeMember(file, by: party, key: key, proofs: proofs, at: time)
        case .proposePipeline(let digest, let party, let key):
            return try proposePipeline(digest, by: party, key: key, at: time)
        case .approve(let id, let party, let key): return try approve(id, by: party, key: key, at: time)
        case .revoke(let owner, let keyID, let party, let key):
            return try revoke(keyID, of: owner, by: party, key: key, at: time)
        case .proposePolicy(let policy, let party, let key):
            return try proposePolicy(policy, by: party, key: key, at: time)
        case .open(let caseID, let version, let party, let key):
            return try open(caseID, under: version, by: party, key: key, at: time)
        case .sign(let caseID, let step, let party, let key):
            return try sign(caseID, step, by: party, key: key, at: time)
        }
    }

    /// Every entry is signed by a key in force for the party it names (not revoked, inside its
    /// window). Windows are judged at log time; the run signs every entry at its clock and submits
    /// it at that same time, so `time` is both `signedAt` and the entry's log time.
    /// **Contract silent** on whether "the party itself (any of its keys)" may revoke with a key
    /// outside its window: the engine asks for a usable key there too, like everywhere else.
    func checkSigner(_ party: String, key keyID: String, at time: Date) throws(Refusal) {
        guard let key = keys[keyID] else { throw .unknownKey }
        guard key.party == party else { throw .foreignKey }
        guard key.isLive else { throw .revokedKey }
        guard key.isInWindow(at: time) else { throw .keyOutsideWindow }
    }
}
