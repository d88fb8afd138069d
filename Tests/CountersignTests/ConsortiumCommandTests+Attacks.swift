import CountersignKit
import Foundation
import TestSupport
import Testing

/// The attacks CONSORTIUM.md is for: files edited behind the consortium's back, a store edited
/// behind Countersign's. Nothing a file says is in force until the ledger holds it.
extension ConsortiumCommandTests {
    @Test(
        "a rogue copy of a pipeline, with a limit changed or a step removed, is refused by open",
        arguments: StoreKind.allCases
    )
    func roguePipeline(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.mortgageParties, store: store)
        let original = try String(contentsOfFile: w.path("pipelines/mortgage-approval.yaml"), encoding: .utf8)
        try FileManager.default.createDirectory(atPath: w.path("rogue"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: w.path("pipelines/schemas"), toPath: w.path("rogue/schemas"))
        let funds = try #require(original.range(of: "  - id: funds-release"))
        let rogues = [
            "rogue/no-limit.yaml": original.replacingOccurrences(of: "<= 2000000", with: "<= 99000000"),
            "rogue/no-release.yaml": String(original[..<funds.lowerBound]),
        ]
        for (path, text) in rogues.sorted(by: { $0.key < $1.key }) {
            #expect(text != original)
            try text.write(toFile: w.path(path), atomically: true, encoding: .utf8)
            try w.expectRefusal([
                "pipeline mortgage-approval from \(path) (sha256:", "is no version in force",
                "countersign propose \(path)",
            ]
            ) {
                try Self.run(
                    w,
                    ["open", path, "R-1", "--doc", Self.application],
                    as: "bank",
                    at: "2026-11-02T09:00:00Z"
                )
            }
        }
        // The very bytes in force, wherever the file lies, are that version.
        try original.write(toFile: w.path("rogue/copy.yaml"), atomically: true, encoding: .utf8)
        let opened = try Self.run(
            w,
            ["open", "rogue/copy.yaml", "R-2", "--doc", Self.application],
            as: "bank",
            at: "2026-11-02T09:00:00Z"
        )
        #expect(opened.status == 0, "\(opened.stderr)")
    }

    @Test(
        "a key added to a party file without a proposal cannot sign, and consortium show lists the file as drift",
        arguments: StoreKind.allCases
    )
    func editedPartyFile(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.mortgageParties, store: store)
        #expect(try w.openMortgage("M-1").status == 0)
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        #expect(try Self.drift(try Self.show(w))["parties/lawyer.yaml"] == nil)
        #expect(try w.cli.run("keygen", "lawyer", "--out", "out/keys/lawyer-x.pem", "-q").status == 0)
        let added = try Self.keyID(w, "out/keys/lawyer-x.pem")
        try w.expectRefusal(["the signing key \(added.prefix(16))… is no key of any member of the consortium"]) {
            try Self.run(
                w,
                ["sign", "M-1", "legal-review"],
                as: "lawyer",
                keys: ["out/keys/lawyer-x.pem"],
                at: "2026-11-02T11:00:00Z"
            )
        }
        #expect(try Self.drift(try Self.show(w))["parties/lawyer.yaml"] == ["key \(added.prefix(16))… is not approved"])
        let text = try w.cli.run("consortium", "show")
        #expect(text.stdout.contains("parties/lawyer.yaml: key \(added.prefix(16))… is not approved"), "\(text.stdout)")
        #expect(
            try w.sign("M-1", "legal-review", as: "lawyer", at: "2026-11-02T11:00:00Z").status == 0,
            "the key in force still signs"
        )
    }

    @Test(
        "a schema edited under an open case changes nothing for it; consortium show lists the pipeline as drift",
        arguments: StoreKind.allCases
    )
    func schemaEditedUnderOpenCase(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.mortgageParties, store: store)
        #expect(try w.openMortgage("M-1").status == 0)
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        #expect(try Self.drift(try Self.show(w))["pipelines/mortgage-approval.yaml"] == nil)
        let schema = w.path("pipelines/schemas/valuation.xsd")
        try String(contentsOfFile: schema, encoding: .utf8)
            .replacingOccurrences(of: "name=\"valuer\"", with: "name=\"appraiser\"")
            .write(toFile: schema, atomically: true, encoding: .utf8)
        let valuation = "\(Self.samples)/valuation.xml"
        let edited = try w.cli.run("doc", "fingerprint", valuation, "--schema", "pipelines/schemas/valuation.xsd")
        #expect(edited.status == 1, "the sample does not validate against the edited schema: \(edited.stderr)")
        let signed = try w.sign(
            "M-1",
            "valuation",
            as: "bank",
            at: "2026-11-02T11:00:00Z",
            "--doc",
            "valuation=\(valuation)"
        )
        #expect(signed.status == 0, "the case validates against its stored schema: \(signed.stderr)")
        let drift = try Self.drift(try Self.show(w))["pipelines/mortgage-approval.yaml"]
        #expect(drift?.count == 1)
        #expect(drift?.first?.hasPrefix("mortgage-approval@sha256:") == true)
        #expect(drift?.first?.hasSuffix("is no version in force") == true, "\(drift ?? [])")
        #expect(
            try w.cli.run("consortium", "show").stdout.contains("pipelines/mortgage-approval.yaml: mortgage-approval@")
        )
    }

    @Test(
        "a governance entry altered in the store is found by log verify and stops sign",
        arguments: StoreKind.allCases
    )
    func alteredGovernanceEntry(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.mortgageParties, store: store)
        #expect(try w.openMortgage("M-1").status == 0)
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        // The entry that brought the lawyer (and its key) in.
        let entries = try w.store().entries(ofCase: LedgerChain.consortium)
        let membership = try #require(
            try entries.first { entry in
                guard case .member(let member) = try GovernanceEntry(entry).predicate.change else { return false }
                return member.id == "lawyer"
            }
        )
        let signature = try Envelope(bytes: membership.envelope).signatures[0].bytes
        let text = Data(signature).base64EncodedString()
        try BothStoresAdministratorTests.alter(
            w,
            on: store,
            replacing: text,
            with: (text.first == "A" ? "B" : "A") + text.dropFirst()
        )
        #expect(try w.store().entry(at: membership.index)?.envelope != membership.envelope)

        let verify = try w.cli.run("log", "verify")
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("log verification failed at entry \(membership.index)"), "\(verify.stderr)")
        try w.expectRefusal(["governance entry \(membership.index)", "altered"]) {
            try w.sign("M-1", "legal-review", as: "lawyer", at: "2026-11-02T11:00:00Z")
        }
    }

    @Test(
        "malformed party and pipeline files stop no command but show as drift",
        arguments: StoreKind.allCases
    )
    func malformedWorkspaceFiles(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.mortgageParties, store: store)
        #expect(try w.openMortgage("M-1").status == 0)
        try "party: [x\nname: {".write(toFile: w.path("parties/x.yaml"), atomically: true, encoding: .utf8)
        try "pipeline: y\nsteps: [ {id: \n".write(toFile: w.path("pipelines/y.yaml"), atomically: true, encoding: .utf8)
        let at = "2026-11-02T10:00:00Z"
        for arguments in [["status"], ["status", "M-1"], ["status", "M-1", "--json"]] {
            let result = try w.cli.run(arguments + ["--now", at])
            #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
        }
        let signed = try w.sign("M-1", "credit-check", as: "bank", at: at)
        #expect(signed.status == 0, "\(signed.stderr)")
        let reconciled = try Self.run(w, ["reconcile"], as: "bank", at: "2026-11-03T02:00:00Z")
        #expect(reconciled.status == 0, "\(reconciled.stdout)\(reconciled.stderr)")
        let verify = try w.cli.run("log", "verify")
        #expect(verify.status == 0, "\(verify.stderr)")

        let text = try w.cli.run("consortium", "show")
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("parties/x.yaml: it does not read: "), "\(text.stdout)")
        #expect(text.stdout.contains("pipelines/y.yaml: it does not load: "), "\(text.stdout)")
        let drift = try Self.drift(try Self.show(w))
        #expect(drift["parties/x.yaml"]?.first?.hasPrefix("it does not read: ") == true)
        #expect(drift["pipelines/y.yaml"]?.first?.hasPrefix("it does not load: ") == true)
        #expect(drift.keys.filter { $0 != "parties/x.yaml" && $0 != "pipelines/y.yaml" }.isEmpty, "\(drift)")
    }
}
