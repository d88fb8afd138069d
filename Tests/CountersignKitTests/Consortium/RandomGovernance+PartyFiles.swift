import CountersignKit
import Foundation

/// The random party files: rotations, new keys, names and windows, keys that are another party's
/// or left out, files as they are, parties joining or admitted.
extension RandomGovernance {
    /// The party's own file with a new key, its live keys narrowed now and then.
    func rotate() throws {
        let party = random.pick(memberIDs)
        let current = currentFile(of: party)
        var keys = current.keys.map { key in
            model.keys[key.id]!.isLive && random.chance(0.6) ? narrowed(key) : key
        }
        let new = try newKey(for: party)
        let window = newWindow()
        keys.append(DeclaredKey(id: new, since: window.since, until: window.until))
        let proofs = random.chance(0.9) ? [new] : []
        try proposeMember(
            .rotate,
            file(current, keys: keys),
            by: party,
            key: try signingKey(for: party),
            proofs: proofs
        )
    }

    /// Another party's file (now and then the proposer's own; often one of a party left without a
    /// usable key) with a new key; now and then a key that a pending proposal of another party adds too.
    func addKey() throws {
        let keyless = memberIDs.filter { model.usableKeys(of: $0, at: now).isEmpty }
        let party = !keyless.isEmpty && random.chance(0.35) ? random.pick(keyless) : random.pick(memberIDs)
        let proposer = proposer(of: party, own: 0.1)
        let current = currentFile(of: party)
        let contested = contestedKeys(against: party)
        let new = !contested.isEmpty && random.chance(0.5) ? random.pick(contested) : try newKey(for: party)
        let window = newWindow()
        let keys = current.keys + [DeclaredKey(id: new, since: window.since, until: window.until)]
        let proofs = random.chance(0.8) ? [new] : []
        try proposeMember(
            .addKey,
            file(current, keys: keys),
            by: proposer,
            key: try signingKey(for: proposer),
            proofs: proofs
        )
    }

    /// A new display name, proposed by the party itself, an admin or another member.
    func rename() throws {
        let party = random.pick(memberIDs)
        let proposer = proposer(of: party, own: 0.5)
        let current = currentFile(of: party)
        renames += 1
        let renamed = Declaration(party: party, name: "\(party.capitalized) \(renames)", keys: current.keys)
        try proposeMember(.rename, renamed, by: proposer, key: try signingKey(for: proposer), proofs: [])
    }

    /// One live key's window widened (a bound dropped) or narrowed.
    func changeWindow() throws {
        let party = random.pick(memberIDs)
        let current = currentFile(of: party)
        let live = current.keys.indices.filter { model.keys[current.keys[$0].id]!.isLive }
        guard !live.isEmpty else { return try rename() }
        let index = random.pick(live)
        var keys = current.keys
        let key = keys[index]
        if (key.since != nil || key.until != nil) && random.chance(0.5) {
            let since = key.until == nil || random.chance(0.5) ? nil : key.since
            keys[index] = DeclaredKey(id: key.id, since: since, until: nil)
        } else {
            keys[index] = narrowed(key)
        }
        let proposer = proposer(of: party, own: 0.6)
        try proposeMember(
            .window,
            file(current, keys: keys),
            by: proposer,
            key: try signingKey(for: proposer),
            proofs: []
        )
    }

    /// The party's file listing a key of another party (which signs, so only ownership is wrong).
    func addForeignKey() throws {
        let party = random.pick(memberIDs)
        let foreign = model.keys.values.filter { $0.party != party }.map(\.id).sorted()
        guard !foreign.isEmpty else { return try rotate() }
        let key = random.pick(foreign)
        let current = currentFile(of: party)
        let keys = current.keys + [DeclaredKey(id: key, since: nil, until: nil)]
        try proposeMember(
            .foreignKey,
            file(current, keys: keys),
            by: party,
            key: try signingKey(for: party),
            proofs: [key]
        )
    }

    /// The party's file without one of its live keys (sometimes with a new one instead).
    func dropKey() throws {
        let party = random.pick(memberIDs)
        let current = currentFile(of: party)
        let live = current.keys.filter { model.keys[$0.id]!.isLive }
        guard !live.isEmpty else { return try proposeUnchanged() }
        let dropped = random.pick(live).id
        var keys = current.keys.filter { $0.id != dropped }
        var proofs: [String] = []
        if random.chance(0.5) {
            proofs = [try newKey(for: party)]
            keys.append(DeclaredKey(id: proofs[0], since: nil, until: nil))
        }
        let proposer = proposer(of: party, own: 0.6)
        try proposeMember(
            .dropKey,
            file(current, keys: keys),
            by: proposer,
            key: try signingKey(for: proposer),
            proofs: proofs
        )
    }

    func proposeUnchanged() throws {
        let party = random.pick(memberIDs)
        let proposer = proposer(of: party, own: 0.6)
        try proposeMember(
            .unchanged,
            currentFile(of: party),
            by: proposer,
            key: try signingKey(for: proposer),
            proofs: []
        )
    }

    /// A party that is no member proposes its own file: its new keys sign (or one does not, or a
    /// member's key signs for it).
    func join() throws {
        let outsiders = Self.parties.filter { model.members[$0] == nil }
        guard !outsiders.isEmpty else { return try rotate() }
        let party = random.pick(outsiders)
        var keys: [String] = []
        for _ in 0..<Int.random(in: 1...2, using: &random) { keys.append(try newKey(for: party)) }
        let file = Declaration(
            party: party,
            name: party.capitalized,
            keys: keys.map { DeclaredKey(id: $0, since: nil, until: nil) }
        )
        let roll = Int.random(in: 0..<10, using: &random)
        if roll == 0 {
            let proofs = Array(keys.dropFirst())
            try proposeMember(
                .join,
                file,
                by: party,
                key: proofs.isEmpty ? try newKey(for: "stranger") : nil,
                proofs: proofs
            )
        } else if roll == 1 {
            let member = random.pick(memberIDs)
            try proposeMember(.join, file, by: party, key: try signingKey(for: member), proofs: keys)
        } else {
            try proposeMember(.join, file, by: party, key: nil, proofs: keys)
        }
    }

    /// A member (an admin most often) proposes a new party's file, with none, one or two keys.
    func admit() throws {
        let outsiders = Self.parties.filter { model.members[$0] == nil }
        guard !outsiders.isEmpty else { return try addKey() }
        let party = random.pick(outsiders)
        var keys: [String] = []
        for _ in 0..<Int.random(in: 0...2, using: &random) { keys.append(try newKey(for: party)) }
        let proofs = random.chance(0.85) ? keys : Array(keys.dropFirst())
        let file = Declaration(
            party: party,
            name: party.capitalized,
            keys: keys.map { DeclaredKey(id: $0, since: nil, until: nil) }
        )
        let proposer = pickProposer()
        try proposeMember(.admit, file, by: proposer, key: try signingKey(for: proposer), proofs: proofs)
    }
}
