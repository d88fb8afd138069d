import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign consortium show [--json]`
enum ConsortiumShowCommand: CountersignCommand {
    static let spec = CommandSpec(
        "consortium show",
        abstract: "Show the consortium in force: members and keys, policy, clock, pipelines, proposals, drift.",
        discussion: """
            Everything comes from the ledger's governance entries. Drift lists every workspace file that \
            differs from what is in force: a party file listing a key that is not approved (or missing one \
            that is), a pipeline file whose bytes or schemas are no version in force. A file that does \
            not read is listed, never fatal.
            """
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let state = try context.governance(create: false).state()
        guard let settings = state.settings, let genesis = state.genesis, let policy = state.policy else {
            throw GovernanceError.noConsortium
        }
        let drift = ConsortiumDrift(
            state: state,
            partyFiles: yamlFiles(in: "parties", context),
            pipelineFiles: yamlFiles(in: "pipelines", context),
            displayPath: { url in url.deletingLastPathComponent().lastPathComponent + "/" + url.lastPathComponent }
        )
        if context.json {
            try context.printJSON(json(state, settings: settings, genesis: genesis, policy: policy, drift: drift))
            return
        }
        var lines = [
            "consortium of log \(settings.origin), founded by \(genesis.founder) (genesis sha256:\(genesis.envelopeHash.hex))",
            "clock: \(settings.clock.rawValue)"
                + (settings.clock == .simulated ? " (a demo or test ledger: its times prove nothing)" : ""),
            "policy: \(policy)",
            "governance entries up to entry \(state.head?.index ?? 0)",
            "",
            "members:",
        ]
        for member in state.members.values.sorted(by: { $0.id < $1.id }) {
            lines.append("  \(member.id): \(member.name) (member since entry \(member.joinedAt))")
            for key in member.keyIDs.compactMap({ state.keys[$0] }) {
                var window: [String] = []
                if let since = key.since { window.append("since \(Timestamp.format(since))") }
                if let until = key.until { window.append("until \(Timestamp.format(until))") }
                let revoked = key.revocation.map {
                    "; revoked at entry \($0.index) by \($0.by)" + ($0.reason.map { ": \($0)" } ?? "")
                }
                lines.append(
                    "    key \(key.keyID) (from entry \(key.addedAt)\(window.isEmpty ? "" : "; " + window.joined(separator: ", "))\(revoked ?? ""))"
                )
            }
        }
        lines += ["", "pipelines in force:"]
        if state.pipelines.isEmpty { lines.append("  none") }
        for (id, digests) in state.pipelines.sorted(by: { $0.key < $1.key }) {
            for (number, digest) in digests.enumerated() {
                let version = state.versions[digest]!
                let newest = number == digests.count - 1 ? " (newest)" : ""
                lines.append("  \(version.name), in force from entry \(version.inForceAt)\(newest)")
            }
            _ = id
        }
        lines += ["", "pending proposals:"]
        if state.pendingProposals.isEmpty { lines.append("  none") }
        for proposal in state.pendingProposals {
            lines.append(
                "  \(proposal.index): \(proposal.summary) by \(proposal.proposer); \(state.needs(of: proposal))"
            )
        }
        lines += ["", "drift (workspace files that differ from what is in force):"]
        if drift.items.isEmpty { lines.append("  none") }
        for item in drift.items {
            for difference in item.differences { lines.append("  \(item.file): \(difference)") }
        }
        for line in lines { context.console.out(line) }
    }

    private static func yamlFiles(in folder: String, _ context: CommandContext) -> [URL] {
        let url = context.workspace.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map {
            url.appendingPathComponent($0)
        }
    }

    private static func json(
        _ state: GovernanceState,
        settings: ConsortiumSettings,
        genesis: Genesis,
        policy: ConsortiumPolicy,
        drift: ConsortiumDrift
    ) -> [String: Any] {
        let members: [[String: Any]] = state.members.values.sorted { $0.id < $1.id }.map { member in
            [
                "party": member.id, "name": member.name, "joinedAt": member.joinedAt,
                "keys": member.keyIDs.compactMap { state.keys[$0] }.map { key -> [String: Any] in
                    var object: [String: Any] = [
                        "keyID": key.keyID, "addedAt": key.addedAt, "inForce": key.revocation == nil,
                        "ed25519": Data(key.publicKey.spkiDER).base64EncodedString(),
                    ]
                    if let since = key.since { object["since"] = Timestamp.format(since) }
                    if let until = key.until { object["until"] = Timestamp.format(until) }
                    if let revocation = key.revocation {
                        object["revoked"] = [
                            "at": revocation.index, "by": revocation.by, "reason": revocation.reason as Any,
                        ]
                    }
                    return object
                },
            ]
        }
        let pipelines: [[String: Any]] = state.pipelines.keys.sorted().flatMap { id in
            (state.pipelines[id] ?? []).enumerated().map { number, digest in
                let version = state.versions[digest]!
                return [
                    "pipeline": id, "version": version.digestText, "name": version.name,
                    "inForceAt": version.inForceAt, "proposedAt": version.proposedAt,
                    "newest": number == (state.pipelines[id]?.count ?? 0) - 1,
                    "files": version.files.map { ["path": $0.path, "sha256": $0.sha256.hex] },
                ]
            }
        }
        return [
            "origin": settings.origin, "clock": settings.clock.rawValue, "founder": genesis.founder,
            "genesis": "sha256:" + genesis.envelopeHash.hex, "head": state.head?.index as Any,
            "policy": ["admins": policy.admins, "quorum": policy.quorum, "logSigner": policy.logSigner],
            "members": members,
            "pipelines": pipelines,
            "pending": state.pendingProposals.map { proposal in
                [
                    "id": proposal.index, "change": proposal.summary, "proposer": proposal.proposer,
                    "approvals": state.countedApprovals(of: proposal), "needs": state.needs(of: proposal),
                ] as [String: Any]
            },
            "drift": drift.items.map { ["file": $0.file, "differences": $0.differences] },
        ]
    }
}
