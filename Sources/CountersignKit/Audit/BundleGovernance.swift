import Foundation

/// The governance entries a case's checks rest on, as its audit bundle carries them (CONSORTIUM.md
/// "Audit bundles"): the genesis; every policy change and its approvals (with the entries about the
/// admins and log signer it names); the proposal of the case's
/// pipeline version and its approvals; and every entry about a party the case needs — each signer of
/// a case entry, the orchestrator, the log signer and each cosigning witness — with, recursively, the
/// entries about every party that signed one of those (the admins whose approvals brought them into
/// force). Folded alone, in log order, these entries give the same keys, rights and versions for
/// those parties as the whole log does.
enum BundleGovernance {
    /// The selection among `entries` (every governance entry of the log inside the checkpoint, in
    /// log order) for a case under `version` whose entries name `parties`.
    static func select(
        from entries: [GovernanceEntry],
        version: Digest,
        parties: Set<String>
    ) -> [GovernanceEntry] {
        // What each entry is about: parties, the policy, or a version (an approval: its proposal's).
        var about: [Int: (parties: Set<String>, policy: Bool, version: Digest?)] = [:]
        for entry in entries {
            switch entry.predicate.change {
            case .genesis(_, let founder, _): about[entry.index] = ([founder.id], true, nil)
            case .member(let member): about[entry.index] = ([member.id], false, nil)
            case .revocation(let party, _, _): about[entry.index] = ([party], false, nil)
            case .policy(let policy):
                // A policy is checked against its admins' and log signer's keys: they come along.
                about[entry.index] = (Set(policy.admins + [policy.logSigner]), true, nil)
            case .pipeline(_, let digest): about[entry.index] = ([], false, digest)
            case .approval(let proposal, _): about[entry.index] = about[proposal] ?? ([], false, nil)
            }
        }
        var needed = parties
        var selected: Set<Int> = []
        while true {
            for entry in entries where !selected.contains(entry.index) {
                guard let what = about[entry.index] else { continue }
                if what.policy || what.version == version || !what.parties.isDisjoint(with: needed) {
                    selected.insert(entry.index)
                }
            }
            // The parties the selected entries rest on: their signers, and the ones a policy names.
            var more: Set<String> = []
            for entry in entries where selected.contains(entry.index) {
                more.insert(entry.predicate.party)
                more.formUnion(about[entry.index]?.parties ?? [])
            }
            guard !more.isSubset(of: needed) else { break }
            needed.formUnion(more)
        }
        return entries.filter { selected.contains($0.index) }
    }
}

extension GovernanceState {
    /// A party file of `party` as the consortium holds it (for people to read; the governance
    /// entries are the evidence): its name and every key it has had, with windows and revocations.
    func partyFile(of party: String) -> [UInt8]? {
        guard let member = members[party] else { return nil }
        var text = "# Party \(party) as the consortium holds it at entry \(head?.index ?? 0) of the log,\n"
        text += "# rendered from the governance entries; they, not this file, are the evidence.\n"
        text += "party: \(party)\nname: \(PartyFile.yamlText(member.name))\nkeys:\n"
        for key in member.keyIDs.compactMap({ keys[$0] }) {
            text += "  - ed25519: \(StrictBase64.encode(key.publicKey.spkiDER))\n"
            if let since = key.since { text += "    since: \(Timestamp.format(since))\n" }
            if let until = key.until { text += "    until: \(Timestamp.format(until))\n" }
            text += "    # key id \(key.keyID), in force from entry \(key.addedAt)\n"
            if let revocation = key.revocation {
                text +=
                    "    # revoked at entry \(revocation.index) by \(revocation.by)"
                    + (revocation.reason.map { ": \($0.replacingOccurrences(of: "\n", with: " "))" } ?? "") + "\n"
            }
        }
        return Array(text.utf8)
    }
}
