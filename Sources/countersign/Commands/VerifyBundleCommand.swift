import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign verify-bundle DIR [--trust FILE]`: check an audit bundle offline.
enum VerifyBundleCommand: CountersignCommand {
    static let spec = CommandSpec(
        "verify-bundle",
        abstract: "Verify an audit bundle offline, needing nothing but the bundle.",
        discussion: """
            Checks, printing each: the bag (manifests, Payload-Oxum, no missing or extra file); the \
            governance entries the case rests on, folded from the genesis; the pipeline version's files; \
            every entry's signature by a key in force for its party at that point of the log; the case \
            chain; every document's fingerprint; every inclusion proof; the checkpoint's signature by \
            the log signer and its cosignatures; and, replaying the entries through the pipeline, that \
            each was allowed when signed. Stops at the first kind of check that fails (exit 1). Keys \
            come from the governance entries (data/parties/ is for people to read); without --trust \
            their root is the bundle's own genesis. FILE pins the log and witness keys with C2SP \
            tlog-policy lines `log VKEY` and `witness NAME VKEY` (and optionally `group` and `quorum`), \
            or the consortium with `genesis sha256:HEX`. With --json, one document: `verified`, `failure`, \
            `trust` and `checks`, each check a record {check, status (ok, failed, note), subject, message}.
            """,
        arguments: [
            .positional("DIR", help: "the bundle folder (the one holding bagit.txt)"),
            .option("trust", value: "FILE", help: "trusted log and witness keys (C2SP tlog-policy) or genesis"),
        ]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let directory = URL(fileURLWithPath: context.resolve(arguments.value("DIR")!))
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw BundleError.unreadable(path: arguments.value("DIR")!, reason: "no such folder")
        }
        let trust = try arguments.value("trust").map { path in
            guard let data = FileManager.default.contents(atPath: context.resolve(path)) else {
                throw BundleError.unreadable(path: path, reason: "no such file, or not readable")
            }
            return try TrustPolicy(bytes: Array(data), path: path)
        }
        var checks: [BundleVerifier.Check] = []
        let passed = BundleVerifier(directory: directory, trust: trust).run { check in
            checks.append(check)
            if !context.json { context.say(check.description) }
        }
        if context.json {
            try context.printJSON(
                report(
                    checks,
                    passed: passed,
                    bundle: arguments.value("DIR")!,
                    trust: trust,
                    file: arguments.value("trust")
                )
            )
        }
        guard passed else {
            throw BundleVerificationFailure(first: checks.first { $0.outcome == .fail }?.message ?? "")
        }
        if !context.json {
            context.say(
                trust.map { trust in
                    let pinned = [
                        trust.genesis == nil ? nil : "the genesis",
                        trust.logs.isEmpty ? nil : "the log and witness keys",
                    ].compactMap { $0 }.joined(separator: " and ")
                    return "bundle verified, with \(pinned) of \(arguments.value("trust")!)"
                } ?? "bundle verified, with the keys it carries itself (none pinned: see --trust)"
            )
        }
    }
}

extension VerifyBundleCommand {
    /// The `--json` document (docs/BUNDLES.md "verify-bundle --json"): whether the bundle verified,
    /// the first failure, what was pinned, and every check as a record in the order it was made.
    static func report(
        _ checks: [BundleVerifier.Check],
        passed: Bool,
        bundle: String,
        trust: TrustPolicy?,
        file: String?
    ) -> [String: Any] {
        let statuses: [BundleVerifier.Check.Outcome: String] = [.ok: "ok", .fail: "failed", .note: "note"]
        let trustRecord: [String: Any] = [
            "pinned": trust != nil,
            "file": file ?? NSNull(),
            "genesis": trust?.genesis.map { "sha256:" + $0.hex } ?? NSNull(),
            "logs": trust?.logs.map(\.vkey) ?? [],
            "witnesses": trust?.witnesses.map { ["name": $0.name, "vkey": $0.verifier.vkey] } ?? [],
            "quorum": trust.map { "\($0.quorum)" } ?? NSNull(),
        ]
        return [
            "bundle": bundle,
            "verified": passed,
            "failure": checks.first { $0.outcome == .fail }?.message ?? NSNull(),
            "trust": trustRecord,
            "checks": checks.map { check -> [String: Any] in
                [
                    "check": check.check, "status": statuses[check.outcome]!, "subject": check.subject ?? NSNull(),
                    "message": check.detail,
                ]
            },
        ]
    }
}

/// `verify-bundle` found a problem: exit 1 with the first one.
struct BundleVerificationFailure: Error, CustomStringConvertible {
    let first: String

    var description: String { "bundle verification failed: \(first)" }
}
