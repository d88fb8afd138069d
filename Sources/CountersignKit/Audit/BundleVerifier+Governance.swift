/// The consortium as a bundle's governance entries make it: folded from the genesis in log order,
/// interleaved with the case's entries, so each case entry is judged by the keys and versions in
/// force just before it, and each bracketing checkpoint by the consortium at its size.
struct BundleEvidence {
    /// The state before each case entry, by its log index, and at each bracketing checkpoint's
    /// size (before the entry of that index).
    let states: [Int: GovernanceState]
    /// The state after every governance entry of the bundle (at the checkpoint).
    let final: GovernanceState

    /// The state just before the entry at `index`.
    func before(_ index: Int) -> GovernanceState { states[index] ?? final }
}

extension BundleVerifier {
    /// The genesis is the pinned one (when `--trust` pins it); every governance entry applies, in
    /// log order, to the state the entries before it make.
    func checkGovernance(_ contents: BundleContents, _ log: inout CheckLog) -> BundleEvidence? {
        guard let genesis = contents.governance.first, genesis.index == 0 else {
            log.fail("governance: the bundle holds no genesis entry")
            return nil
        }
        let hash = "sha256:" + SHA256.hash(genesis.entry.envelope.bytes).hex
        if let pinned = trust?.genesis {
            guard "sha256:" + pinned.hex == hash else {
                log.fail(
                    "governance: \(genesis.path) is not the pinned genesis (its SHA-256 is \(hash), the trust file "
                        + "pins sha256:\(pinned.hex)): this is another consortium",
                    about: genesis.path
                )
                return nil
            }
            log.ok("governance: \(genesis.path) is the pinned genesis \(hash)", about: genesis.path)
        } else {
            log.note(
                "governance: no genesis is pinned; the bundle's own genesis (\(hash)) is the root every key rests on; "
                    + "to pin it, a --trust file would say: genesis \(hash)",
                about: genesis.path
            )
        }
        var state = GovernanceState()
        state.isPartial = true
        var states: [Int: GovernanceState] = [:]
        var governance = contents.governance.makeIterator()
        var nextGovernance = governance.next()
        func fold(upTo index: Int, _ log: inout CheckLog) -> Bool {
            while let file = nextGovernance, file.index < index {
                do {
                    try state.apply(file.entry)
                } catch {
                    log.fail("governance: \(file.label) does not hold: \(error)", about: file.path)
                    return false
                }
                nextGovernance = governance.next()
            }
            return true
        }
        let points = Set(contents.entries.map(\.index) + contents.checkpoints.map(\.size))
        for point in points.sorted() {
            guard fold(upTo: point, &log) else { return nil }
            states[point] = state
        }
        guard fold(upTo: Int.max, &log) else { return nil }
        // Party files are for people, but a file no check knows has no place in a bag: each renders a
        // party the bag's entries name (a member, the maker of a governance entry, a case entry's signer).
        let named = Set(state.members.keys).union(contents.governance.map(\.entry.predicate.party))
            .union(contents.entries.map(\.predicate.party))
        for file in contents.partyFiles {
            let name = file.path.split(separator: "/").last ?? ""
            let party = String(name.dropLast(BundleLayout.partySuffix.count))
            if !named.contains(party) {
                log.fail(
                    "governance: \(file.path) is the party file of '\(party)', whom no entry of the bag names; a bundle "
                        + "holds party files of the parties its entries name only",
                    about: file.path
                )
            }
        }
        guard !log.hasFailed else { return nil }
        let members = state.members.keys.sorted().joined(separator: ", ")
        log.ok(
            "governance: \(contents.governance.count) governance entries, from the genesis by "
                + "'\(state.genesis?.founder ?? "")', fold in log order: every signature verifies and every change "
                + "was made by a party with the right to make it; members \(members); policy \(state.policy.map { "\($0)" } ?? "none")"
        )
        if state.settings?.clock == .simulated {
            log.note("governance: this ledger's clock is simulated (a demo or test): its times prove nothing")
        }
        return BundleEvidence(states: states, final: state)
    }
}
