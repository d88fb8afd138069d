import Foundation

/// Where the workspace's files differ from what the consortium holds in force (`consortium show`):
/// a party file listing a key that is not approved or missing one that is, a changed name or
/// window; a pipeline file whose bytes (or schemas) are no version in force. Files are proposals;
/// drift says which ones would still have to be proposed and approved. A file that does not even
/// read is drift too — it never stops the command.
public struct ConsortiumDrift: Sendable, Equatable {
    /// One file and what differs.
    public struct Item: Sendable, Equatable {
        public let file: String
        public let differences: [String]
    }

    public let items: [Item]

    /// Compares the party files and pipeline files of a workspace with `state`.
    public init(state: GovernanceState, partyFiles: [URL], pipelineFiles: [URL], displayPath: (URL) -> String) {
        var items: [Item] = []
        for url in partyFiles {
            let path = displayPath(url)
            let differences = Self.partyDifferences(url, path: path, state: state)
            if !differences.isEmpty { items.append(Item(file: path, differences: differences)) }
        }
        for url in pipelineFiles {
            let path = displayPath(url)
            let differences = Self.pipelineDifferences(url, path: path, state: state)
            if !differences.isEmpty { items.append(Item(file: path, differences: differences)) }
        }
        self.items = items
    }

    private static func partyDifferences(_ url: URL, path: String, state: GovernanceState) -> [String] {
        let party: Party
        do {
            party = try Party(bytes: Array(try Data(contentsOf: url)), path: path)
        } catch let diagnostics as Diagnostics {
            return ["it does not read: " + diagnostics.all.map(\.description).joined(separator: "; ")]
        } catch {
            return ["it cannot be read: \(error.localizedDescription)"]
        }
        let pending = state.pendingProposals.first { $0.change == .member(MemberDeclaration(party)) }
        let proposed = pending.map { " (proposed as proposal \($0.index): \(state.needs(of: $0)))" } ?? ""
        guard let member = state.members[party.id] else {
            return ["'\(party.id)' is not a member of the consortium" + proposed]
        }
        var differences: [String] = []
        if member.name != party.name {
            differences.append("name '\(party.name)' is not the name in force, '\(member.name)'")
        }
        for key in party.keys {
            guard let held = state.keys[key.keyID], held.party == party.id else {
                differences.append("key \(key.keyID.prefix(16))… is not approved")
                continue
            }
            if let revocation = held.revocation {
                differences.append("key \(key.keyID.prefix(16))… was revoked at entry \(revocation.index)")
            } else if held.since != key.since || held.until != key.until {
                differences.append("key \(key.keyID.prefix(16))…'s window is not the one in force")
            }
        }
        for keyID in member.keyIDs where state.keys[keyID]?.revocation == nil && party.key(withID: keyID) == nil {
            differences.append("it does not list key \(keyID.prefix(16))…, which is in force")
        }
        if !differences.isEmpty, !proposed.isEmpty { differences[differences.count - 1] += proposed }
        return differences
    }

    private static func pipelineDifferences(_ url: URL, path: String, state: GovernanceState) -> [String] {
        let pipeline: Pipeline
        do {
            pipeline = try Pipeline(contentsOf: url, path: path, parties: nil)
        } catch {
            return ["it does not load: \(error)"]
        }
        if let version = state.versions[pipeline.files.digest] {
            let newest = state.pipelines[version.pipeline]?.last == version.digest
            return newest ? [] : ["it is an older version in force of '\(pipeline.id)', not the newest"]
        }
        let pending = state.pendingProposals.first { proposal in
            if case .pipeline(_, let version, _) = proposal.change { return version == pipeline.files.digest }
            return false
        }
        return [
            "\(pipeline.versionName) is no version in force"
                + (pending.map { " (proposed as proposal \($0.index): \(state.needs(of: $0)))" } ?? "")
        ]
    }
}

/// What a workspace file proposes, by its top-level keys.
public enum ProposalFile {
    public enum Kind: Sendable { case party, pipeline }

    /// `party` for a file with a `party:` key, `pipeline` for one with `pipeline:`; `nil` otherwise.
    public static func kind(of bytes: [UInt8], path: String) -> Kind? {
        guard let root = try? YAMLNode.parse(bytes, file: path), let entries = root.mapping else { return nil }
        let keys = Set(entries.map(\.key))
        if keys.contains("pipeline") { return .pipeline }
        if keys.contains("party") { return .party }
        return nil
    }
}
