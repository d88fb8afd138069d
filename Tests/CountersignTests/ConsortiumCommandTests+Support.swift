import CountersignKit
import Foundation
import Testing

/// Running governance commands and reading what `consortium show --json` says.
extension ConsortiumCommandTests {
    /// `countersign ARGUMENTS --as PARTY --key FILE... --now NOW`; the key defaults to `out/keys/PARTY.pem`.
    @discardableResult
    static func run(
        _ w: ExampleWorkspace,
        _ arguments: [String],
        as party: String,
        keys: [String] = [],
        at now: String
    ) throws -> CLI.Result {
        let files = keys.isEmpty ? ["out/keys/\(party).pem"] : keys
        return try w.cli.run(arguments + ["--as", party] + files.flatMap { ["--key", $0] } + ["--now", now])
    }

    /// `run`, expecting exit `status` (and `expecting` on stdout).
    @discardableResult
    static func succeed(
        _ w: ExampleWorkspace,
        _ arguments: [String],
        as party: String,
        keys: [String] = [],
        at now: String,
        expecting text: String? = nil,
        status: Int32 = 0,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> CLI.Result {
        let result = try run(w, arguments, as: party, keys: keys, at: now)
        #expect(
            result.status == status,
            "\(arguments.joined(separator: " ")) as \(party): \(result.stdout)\(result.stderr)",
            sourceLocation: sourceLocation
        )
        if let text {
            #expect(
                result.stdout.contains(text),
                "missing '\(text)' in: \(result.stdout)",
                sourceLocation: sourceLocation
            )
        }
        return result
    }

    /// The bank, as the only admin, makes the bank and the regulator admins with a quorum of 2: in
    /// force at once under the founding policy (quorum 1 of [bank]).
    static func twoAdmins(_ w: ExampleWorkspace, at now: String) throws {
        try succeed(
            w,
            ["consortium", "policy", "--admins", "bank,regulator", "--quorum", "2"],
            as: "bank",
            at: now,
            expecting: "policy quorum 2 of [bank, regulator]; log signed by bank: in force"
        )
    }

    /// A command's `--json` output, parsed.
    static func json(_ result: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// The one proposal of a `propose --json` output.
    static func proposal(_ result: CLI.Result) throws -> (id: Int, inForce: Bool, change: String) {
        let proposals = try #require(try json(result)["proposals"] as? [[String: Any]])
        let proposal = try #require(proposals.first, "no proposal in: \(result.stdout)")
        return (
            try #require(proposal["id"] as? Int, "\(proposal)"),
            try #require(proposal["inForce"] as? Bool), proposal["change"] as? String ?? ""
        )
    }

    /// `consortium show --json`, parsed.
    static func show(_ w: ExampleWorkspace) throws -> [String: Any] {
        let result = try w.cli.run("consortium", "show", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        return try json(result)
    }

    /// The drift of a `consortium show --json`: the differences by file.
    static func drift(_ show: [String: Any]) throws -> [String: [String]] {
        let items = try #require(show["drift"] as? [[String: Any]])
        return Dictionary(
            uniqueKeysWithValues: items.map { ($0["file"] as? String ?? "", $0["differences"] as? [String] ?? []) }
        )
    }

    /// The party ids of a `consortium show --json` members list.
    static func parties(_ members: Any) -> [String] {
        (members as? [[String: Any]] ?? []).compactMap { $0["party"] as? String }
    }

    /// One key of a member as `consortium show --json` lists it.
    static func keyState(_ w: ExampleWorkspace, _ party: String, _ keyID: String) throws -> [String: Any]? {
        let members = try #require(try show(w)["members"] as? [[String: Any]])
        let keys = members.first { $0["party"] as? String == party }?["keys"] as? [[String: Any]]
        return keys?.first { $0["keyID"] as? String == keyID }
    }

    /// The key id of a private key file of the workspace.
    static func keyID(_ w: ExampleWorkspace, _ file: String) throws -> String {
        try KeyFile.load(w.path(file)).publicKey.keyID
    }
}
