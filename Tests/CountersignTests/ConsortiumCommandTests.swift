import CountersignKit
import Foundation
import TestSupport
import Testing

/// CONSORTIUM.md end to end through the built binary: the files propose, the ledger decides. Every
/// refusal is shown to append nothing (the ledger's entries counted before and after).
@Suite("The consortium end to end on SQLite and PostgreSQL: founding, joining, keys, policy, pipeline versions")
struct ConsortiumCommandTests {
    /// The parties of the mortgage pipeline, and the regulator as a second admin.
    static let mortgageParties = [
        "bank", "lawyer", "lawyer-partner", "registry", "director-a", "director-b", "director-c", "regulator",
    ]
    static let samples = ExampleWorkspace.mortgageSamples
    static let application = "application=\(samples)/application-small.xml"

    @Test(
        "consortium init founds the consortium on an empty ledger only; consortium show reports it",
        arguments: StoreKind.allCases
    )
    func founding(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: ["bank", "regulator"], store: store, founded: false)
        #expect(try w.entryCount() == 0)
        try w.expectRefusal(["the founder's key", "did not sign it"]) {
            try w.cli.run(
                "consortium",
                "init",
                "--as",
                "bank",
                "--key",
                "out/keys/regulator.pem",
                "--clock",
                "simulated",
                "--now",
                "2026-11-01T08:00:00Z"
            )
        }
        let founded = try w.cli.run(
            "consortium",
            "init",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--clock",
            "simulated",
            "--now",
            "2026-11-01T08:00:00Z",
            "--json"
        )
        #expect(founded.status == 0, "\(founded.stderr)")
        #expect(try w.entryCount() == 1)
        let receipt = try Self.json(founded)
        let genesis = try #require(receipt["genesis"] as? String)
        let stored = try #require(try w.store().entry(at: 0))
        #expect(genesis == "sha256:" + SHA256.hash(stored.envelope).hex, "the genesis hash is that of entry 0")
        #expect(receipt["founder"] as? String == "bank")
        #expect(receipt["clock"] as? String == "simulated")
        #expect(receipt["index"] as? Int == 0)

        for party in ["bank", "regulator"] {
            try w.expectRefusal(["the ledger already holds 1 entry", "a consortium is founded on an empty ledger only"]
            ) {
                try w.cli.run(
                    "consortium",
                    "init",
                    "--as",
                    party,
                    "--key",
                    "out/keys/\(party).pem",
                    "--clock",
                    "simulated",
                    "--now",
                    "2026-11-01T09:00:00Z"
                )
            }
        }

        let bankKey = try Self.keyID(w, "out/keys/bank.pem")
        let text = try w.cli.run("consortium", "show", "--now", "2026-11-01T09:00:00Z")
        #expect(text.status == 0, "\(text.stderr)")
        let origin = "countersign.local/" + w.workspace.url.lastPathComponent
        for line in [
            "consortium of log \(origin), founded by bank (genesis \(genesis))",
            "clock: simulated (a demo or test ledger: its times prove nothing)",
            "policy: quorum 1 of [bank]; log signed by bank",
            "members:\n  bank: First Harbour Bank (member since entry 0)\n    key \(bankKey) (from entry 0)\n",
            "pipelines in force:\n  none\n",
            "pending proposals:\n  none\n",
            "parties/regulator.yaml: 'regulator' is not a member of the consortium",
            "pipelines/mortgage-approval.yaml: mortgage-approval@sha256:",
        ] {
            #expect(text.stdout.contains(line), "missing '\(line)' in:\n\(text.stdout)")
        }

        let show = try Self.show(w)
        #expect(show["founder"] as? String == "bank")
        #expect(show["clock"] as? String == "simulated")
        #expect(show["genesis"] as? String == genesis)
        #expect(show["origin"] as? String == origin)
        let policy = try #require(show["policy"] as? [String: Any])
        #expect(policy["admins"] as? [String] == ["bank"])
        #expect(policy["quorum"] as? Int == 1)
        #expect(policy["logSigner"] as? String == "bank")
        let members = try #require(show["members"] as? [[String: Any]])
        #expect(members.map { $0["party"] as? String } == ["bank"])
        #expect((members[0]["keys"] as? [[String: Any]])?.map { $0["keyID"] as? String } == [bankKey])
        #expect((show["pipelines"] as? [Any])?.isEmpty == true)
        #expect((show["pending"] as? [Any])?.isEmpty == true)
        let drift = try Self.drift(show)
        #expect(drift["parties/regulator.yaml"] == ["'regulator' is not a member of the consortium"])
        #expect(drift["parties/bank.yaml"] == nil, "the founder's file is what is in force")
        #expect(drift["pipelines/mortgage-approval.yaml"]?.first?.hasSuffix("is no version in force") == true)
        #expect(try w.entryCount() == 1)
    }

    @Test(
        "a party joins by proposing its own file; under a quorum of 2 it is in force with the second admin's approval",
        arguments: StoreKind.allCases
    )
    func joiningUnderTwoAdmins(store: StoreKind) throws {
        let w = try ExampleWorkspace(
            keysFor: ["bank", "regulator", "lawyer", "lawyer-partner"],
            store: store,
            founded: false
        )
        let at = "2026-11-01T08:00:00Z"
        try Self.succeed(
            w,
            ["consortium", "init", "--clock", "simulated"],
            as: "bank",
            at: at,
            expecting: "founded the consortium"
        )
        let regulator = try Self.proposal(
            try Self.succeed(w, ["propose", "parties/regulator.yaml", "--json"], as: "regulator", at: at)
        )
        #expect(regulator.inForce == false, "a new party waits for the admins")
        try Self.succeed(w, ["approve", String(regulator.id)], as: "bank", at: at, expecting: "now in force")
        try Self.twoAdmins(w, at: at)

        let joining = try Self.succeed(w, ["propose", "parties/lawyer.yaml", "--json"], as: "lawyer", at: at)
        let lawyer = try Self.proposal(joining)
        #expect(lawyer.inForce == false)
        #expect(
            (try Self.json(joining)["proposals"] as? [[String: Any]])?.first?["needs"] as? String
                == "needs 2 more approvals of bank, regulator (no approval yet; quorum 2 of [bank, regulator])"
        )
        try w.expectRefusal(["approval of proposal \(lawyer.id) by lawyer refused", "neither a key in force"]) {
            try Self.run(w, ["approve", String(lawyer.id)], as: "lawyer", at: at)
        }
        let first = try Self.succeed(w, ["approve", String(lawyer.id)], as: "bank", at: at)
        #expect(
            first.stdout.contains("pending, needs 1 more approval of regulator (approved by bank"),
            "\(first.stdout)"
        )
        #expect(try Self.show(w)["members"].map { Self.parties($0) } == ["bank", "regulator"])
        try w.expectRefusal(["'bank' already approved proposal \(lawyer.id)"]) {
            try Self.run(w, ["approve", String(lawyer.id)], as: "bank", at: at)
        }
        try Self.succeed(w, ["approve", String(lawyer.id)], as: "regulator", at: at, expecting: "now in force")
        #expect(try Self.show(w)["members"].map { Self.parties($0) } == ["bank", "lawyer", "regulator"])
        try w.expectRefusal(["proposal \(lawyer.id) is already in force"]) {
            try Self.run(w, ["approve", String(lawyer.id)], as: "regulator", at: at)
        }

        // A member that is no admin approves nothing, and proposes no other party's file.
        let partner = try Self.proposal(
            try Self.succeed(w, ["propose", "parties/lawyer-partner.yaml", "--json"], as: "lawyer-partner", at: at)
        )
        #expect(partner.inForce == false)
        try w.expectRefusal(["only an admin may make it, and 'lawyer' is not one (admins: bank, regulator)"]) {
            try Self.run(w, ["approve", String(partner.id)], as: "lawyer", at: at)
        }
        try w.expectRefusal(["only 'registry' itself or an admin may propose its party file"]) {
            try Self.run(w, ["propose", "parties/registry.yaml"], as: "lawyer", at: at)
        }
        try w.expectRefusal(["it changes nothing"]) {
            try Self.run(w, ["propose", "parties/lawyer.yaml"], as: "lawyer", at: at)
        }
        try w.expectRefusal(["proposal \(partner.id) already proposes exactly this"]) {
            try Self.run(w, ["propose", "parties/lawyer-partner.yaml"], as: "lawyer-partner", at: at)
        }
        let pending = try #require(try Self.show(w)["pending"] as? [[String: Any]])
        #expect(pending.map { $0["id"] as? Int } == [partner.id])
        #expect(pending.first?["approvals"] as? [String] == [])
    }

    @Test(
        "a rotation signed by the current and the new key is in force at once; bad keys are refused",
        arguments: StoreKind.allCases
    )
    func rotationAndBadKeys(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.mortgageParties, store: store)
        try Self.twoAdmins(w, at: "2026-11-01T08:00:00Z")
        #expect(try w.openMortgage("M-1").status == 0)
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        let at = "2026-11-02T11:00:00Z"

        let generated = try w.cli.run("keygen", "lawyer", "--out", "out/keys/lawyer-2.pem")
        #expect(generated.status == 0, "\(generated.stderr)")
        let newKey = try Self.keyID(w, "out/keys/lawyer-2.pem")
        try w.expectRefusal(["it adds key \(newKey.prefix(16))… but is not signed by it"]) {
            try Self.run(w, ["propose", "parties/lawyer.yaml"], as: "lawyer", at: at)
        }
        try w.expectRefusal(["the signing key \(newKey.prefix(16))… is no key of any member of the consortium"]) {
            try Self.run(w, ["sign", "M-1", "legal-review"], as: "lawyer", keys: ["out/keys/lawyer-2.pem"], at: at)
        }
        let rotated = try Self.succeed(
            w,
            ["propose", "parties/lawyer.yaml", "--json"],
            as: "lawyer",
            keys: ["out/keys/lawyer.pem", "out/keys/lawyer-2.pem"],
            at: at
        )
        #expect(try Self.proposal(rotated).inForce, "a rotation is in force at once, even under a quorum of 2")
        #expect((try Self.show(w)["pending"] as? [Any])?.isEmpty == true)
        let signed = try Self.run(
            w,
            ["sign", "M-1", "legal-review"],
            as: "lawyer",
            keys: ["out/keys/lawyer-2.pem"],
            at: "2026-11-02T12:00:00Z"
        )
        #expect(signed.status == 0, "the new key signs: \(signed.stderr)")
        #expect(try Self.drift(try Self.show(w))["parties/lawyer.yaml"] == nil)

        // A key of another party in the file.
        let lawyerFile = try String(contentsOfFile: w.path("parties/lawyer.yaml"), encoding: .utf8)
        let bankLine = try #require(
            try String(contentsOfFile: w.path("parties/bank.yaml"), encoding: .utf8)
                .split(separator: "\n").first { $0.contains("ed25519:") }
        )
        try (lawyerFile + bankLine + "\n").write(
            toFile: w.path("parties/lawyer.yaml"),
            atomically: true,
            encoding: .utf8
        )
        let bankKey = try Self.keyID(w, "out/keys/bank.pem")
        try w.expectRefusal(["key \(bankKey.prefix(16))… already belongs to party 'bank'"]) {
            try Self.run(
                w,
                ["propose", "parties/lawyer.yaml"],
                as: "lawyer",
                keys: ["out/keys/lawyer.pem", "out/keys/bank.pem"],
                at: at
            )
        }

        // A small-order point (32 zero bytes) and a P-256 key: the file does not even read.
        let smallOrder = Data(
            [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00] + [UInt8](repeating: 0, count: 32)
        )
        #expect(
            try openssl(
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
                w.path("p256.pem")
            ) == 0
        )
        #expect(
            try openssl("pkey", "-in", w.path("p256.pem"), "-pubout", "-outform", "DER", "-out", w.path("p256.der"))
                == 0
        )
        let p256 = try Data(contentsOf: URL(fileURLWithPath: w.path("p256.der")))
        for (spki, why) in [(smallOrder, "is a small-order point"), (p256, "is not an Ed25519 public key")] {
            try (lawyerFile + "  - ed25519: \(spki.base64EncodedString())\n")
                .write(toFile: w.path("parties/lawyer.yaml"), atomically: true, encoding: .utf8)
            let refused = try w.expectRefusal(["parties/lawyer.yaml:6:", why]) {
                try Self.run(
                    w,
                    ["propose", "parties/lawyer.yaml"],
                    as: "lawyer",
                    keys: ["out/keys/lawyer.pem"],
                    at: at
                )
            }
            #expect(
                !refused.stderr.contains("error: parties/lawyer.yaml: parties/lawyer.yaml"),
                "a file's problem is printed once as PATH:LINE:COLUMN: \(refused.stderr)"
            )
        }
        try lawyerFile.write(toFile: w.path("parties/lawyer.yaml"), atomically: true, encoding: .utf8)

        // Key files that are no Ed25519 key, or encrypted: refused without a prompt (stdin is /dev/null).
        #expect(chmod(w.path("p256.pem"), 0o600) == 0)
        try w.expectRefusal(["not an Ed25519 PEM key: the key is not an Ed25519 key"]) {
            try Self.run(w, ["propose", "parties/lawyer.yaml"], as: "lawyer", keys: ["p256.pem"], at: at)
        }
        #expect(
            try openssl(
                "genpkey",
                "-algorithm",
                "ed25519",
                "-aes-256-cbc",
                "-pass",
                "pass:x",
                "-out",
                w.path("enc.pem")
            ) == 0
        )
        #expect(chmod(w.path("enc.pem"), 0o600) == 0)
        for command in [["propose", "parties/lawyer.yaml"], ["sign", "M-1", "valuation"]] {
            try w.expectRefusal(["key file \(w.path("enc.pem")) is encrypted with a pass phrase", "never prompts"]) {
                try Self.run(w, command, as: "lawyer", keys: ["enc.pem"], at: at)
            }
        }
    }

    @Test(
        "a party revokes its own key at once, an admin only through the quorum; earlier signatures stay valid",
        arguments: StoreKind.allCases
    )
    func revocation(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.mortgageParties, store: store)
        try Self.twoAdmins(w, at: "2026-11-01T08:00:00Z")
        for caseID in ["M-1", "M-2"] {
            #expect(try w.openMortgage(caseID).status == 0)
            #expect(try w.sign(caseID, "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        }
        #expect(try w.sign("M-1", "legal-review", as: "lawyer", at: "2026-11-02T11:00:00Z").status == 0)
        let lawyerKey = try Self.keyID(w, "out/keys/lawyer.pem")
        try Self.succeed(
            w,
            ["revoke", "lawyer", String(lawyerKey.prefix(12)), "--reason", "laptop lost"],
            as: "lawyer",
            at: "2026-11-02T12:00:00Z",
            expecting: "revoked key \(lawyerKey.prefix(16))… of lawyer at entry"
        )
        try w.expectRefusal(["key \(lawyerKey.prefix(16))… of 'lawyer' was revoked at entry", "(laptop lost)"]) {
            try w.sign("M-2", "legal-review", as: "lawyer", at: "2026-11-02T13:00:00Z")
        }
        try w.expectRefusal(["was already revoked at entry"]) {
            try Self.run(w, ["revoke", "lawyer", lawyerKey], as: "bank", at: "2026-11-02T13:00:00Z")
        }

        // An admin revoking another party's key proposes; the key signs until the quorum approves.
        let partnerKey = try Self.keyID(w, "out/keys/lawyer-partner.pem")
        try w.expectRefusal(["only an admin may make it, and 'registry' is not one"]) {
            try Self.run(w, ["revoke", "lawyer-partner", partnerKey], as: "registry", at: "2026-11-02T13:00:00Z")
        }
        let proposed = try Self.succeed(
            w,
            ["revoke", "lawyer-partner", partnerKey, "--json"],
            as: "bank",
            at: "2026-11-02T13:00:00Z"
        )
        let proposal = try Self.json(proposed)
        #expect(proposal["inForce"] as? Bool == false)
        let id = try #require(proposal["id"] as? Int)
        #expect(try Self.keyState(w, "lawyer-partner", partnerKey)?["inForce"] as? Bool == true)
        try Self.succeed(
            w,
            ["approve", String(id)],
            as: "regulator",
            at: "2026-11-02T14:00:00Z",
            expecting: "now in force"
        )
        let key = try #require(try Self.keyState(w, "lawyer-partner", partnerKey))
        #expect(key["inForce"] as? Bool == false)
        #expect((key["revoked"] as? [String: Any])?["by"] as? String == "bank")
        try w.expectRefusal(["key \(partnerKey.prefix(16))… of 'lawyer-partner' was revoked at entry"]) {
            try w.sign("M-2", "legal-review", as: "lawyer-partner", at: "2026-11-02T15:00:00Z")
        }

        let verify = try w.cli.run("log", "verify")
        #expect(verify.status == 0, "the review signed before the revocation stays valid: \(verify.stderr)")
        let status = try w.status("M-1", at: "2026-11-02T15:00:00Z")
        let review = (status["steps"] as? [[String: Any]])?.first { $0["id"] as? String == "legal-review" }
        #expect(review?["by"] as? [String] == ["lawyer"])
    }

    @Test("a policy change is approved under the policy in force", arguments: StoreKind.allCases)
    func policyChange(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: ["bank", "regulator", "operator", "retailer"], store: store)
        let at = "2026-11-01T08:00:00Z"
        try w.expectRefusal(["only an admin may make it, and 'regulator' is not one (admins: bank)"]) {
            try Self.run(
                w,
                ["consortium", "policy", "--admins", "bank,regulator", "--quorum", "2"],
                as: "regulator",
                at: at
            )
        }
        try w.expectRefusal(["'nobody' is not a member of the consortium"]) {
            try Self.run(w, ["consortium", "policy", "--admins", "bank,nobody", "--quorum", "1"], as: "bank", at: at)
        }
        try w.expectRefusal(["it is the policy in force", "nothing to propose"]) {
            try Self.run(w, ["consortium", "policy", "--admins", "bank", "--quorum", "1"], as: "bank", at: at)
        }
        try Self.twoAdmins(w, at: at)
        try w.expectRefusal(["only an admin may make it, and 'operator' is not one (admins: bank, regulator)"]) {
            try Self.run(
                w,
                ["consortium", "policy", "--admins", "bank,operator,regulator", "--quorum", "2"],
                as: "operator",
                at: at
            )
        }
        let change = try Self.json(
            try Self.succeed(
                w,
                ["consortium", "policy", "--admins", "bank,operator,regulator", "--quorum", "2", "--json"],
                as: "bank",
                at: at
            )
        )
        #expect(change["inForce"] as? Bool == false, "a quorum of 2 needs a second admin")
        #expect(
            change["needs"] as? String
                == "needs 1 more approval of regulator (approved by bank; quorum 2 of [bank, regulator])"
        )
        let id = try #require(change["id"] as? Int)
        #expect((try Self.show(w)["policy"] as? [String: Any])?["admins"] as? [String] == ["bank", "regulator"])
        try w.expectRefusal(["only an admin may make it, and 'operator' is not one (admins: bank, regulator)"]) {
            try Self.run(w, ["approve", String(id)], as: "operator", at: at)
        }
        try Self.succeed(w, ["approve", String(id)], as: "regulator", at: at, expecting: "now in force")
        let shown = try w.cli.run("consortium", "show", "--now", at)
        #expect(
            shown.stdout.contains("policy: quorum 2 of [bank, operator, regulator]; log signed by bank"),
            "\(shown.stdout)"
        )
        // The new admin counts at once: a proposal of the operator (a new name) needs one more admin.
        let retailerFile = w.path("parties/retailer.yaml")
        try String(contentsOfFile: retailerFile, encoding: .utf8)
            .replacingOccurrences(of: "name: ", with: "name: Renamed ")
            .write(toFile: retailerFile, atomically: true, encoding: .utf8)
        let retailer = try Self.json(
            try Self.succeed(w, ["propose", "parties/retailer.yaml", "--json"], as: "operator", at: at)
        )
        #expect(
            (retailer["proposals"] as? [[String: Any]])?.first?["needs"] as? String
                == "needs 1 more approval of bank, regulator (approved by operator; quorum 2 of [bank, operator, regulator])"
        )
    }

    @Test(
        "a pipeline version is in force once approved; open cases stay on theirs, new ones get the newest",
        arguments: StoreKind.allCases
    )
    func pipelineVersions(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.mortgageParties, store: store, founded: false)
        // Founded with every party a member and every pipeline but the mortgage one in force.
        let file = w.path("pipelines/mortgage-approval.yaml")
        try FileManager.default.moveItem(atPath: file, toPath: w.path("mortgage-approval.yaml"))
        try w.found(by: "bank")
        try FileManager.default.moveItem(atPath: w.path("mortgage-approval.yaml"), toPath: file)
        try Self.twoAdmins(w, at: "2026-11-01T08:00:00Z")
        let at = "2026-11-02T08:00:00Z"

        try w.expectRefusal(["only an admin may make it, and 'lawyer' is not one (admins: bank, regulator)"]) {
            try Self.run(w, ["propose", "pipelines/mortgage-approval.yaml"], as: "lawyer", at: at)
        }
        let first = try Self.proposal(
            try Self.succeed(w, ["propose", "pipelines/mortgage-approval.yaml", "--json"], as: "bank", at: at)
        )
        #expect(first.inForce == false, "the bank's own approval is one of two")
        let oldVersion = try #require(first.change.split(separator: " ").last.map(String.init))
        let oldDigest = String(oldVersion.dropFirst("mortgage-approval@".count))
        #expect(oldDigest.hasPrefix("sha256:"))
        try w.expectRefusal(["is no version in force", "countersign propose pipelines/mortgage-approval.yaml"]) {
            try w.openMortgage("M-0", at: at)
        }
        let refused = try w.openMortgage("M-0", at: at)
        #expect(refused.stderr.contains("(\(oldDigest)) is no version in force"), "\(refused.stderr)")
        try w.expectRefusal(["from pipelines/mortgage-approval.yaml (\(oldDigest)) is no version in force"]) {
            try Self.run(
                w,
                ["open", "pipelines/mortgage-approval.yaml", "M-0", "--doc", Self.application],
                as: "bank",
                at: at
            )
        }
        try w.expectRefusal(["only an admin may make it, and 'lawyer' is not one"]) {
            try Self.run(w, ["approve", String(first.id)], as: "lawyer", at: at)
        }
        try Self.succeed(w, ["approve", String(first.id)], as: "regulator", at: at, expecting: "now in force")
        #expect(try w.openMortgage("M-1", at: at).stdout.contains("opened case M-1 (\(oldVersion))"))

        // A second version (a new title) while M-1 is open: pending, then in force.
        let original = try String(contentsOfFile: file, encoding: .utf8)
        try original.replacingOccurrences(
            of: "title: Residential mortgage approval",
            with: "title: Residential mortgage approval (2026.2)"
        ).write(toFile: file, atomically: true, encoding: .utf8)
        let second = try Self.proposal(
            try Self.succeed(w, ["propose", "pipelines/mortgage-approval.yaml", "--json"], as: "bank", at: at)
        )
        #expect(second.inForce == false)
        let newVersion = try #require(second.change.split(separator: " ").last.map(String.init))
        #expect(newVersion != oldVersion)
        #expect(try w.openMortgage("M-2", at: at).stdout.contains("(\(oldVersion))"), "pending is not in force")
        try Self.succeed(w, ["approve", String(second.id)], as: "regulator", at: at, expecting: "now in force")
        let later = "2026-11-03T08:00:00Z"
        #expect(try w.openMortgage("M-3", at: later).stdout.contains("opened case M-3 (\(newVersion))"))
        let pinned = try Self.run(w, ["open", oldVersion, "M-4", "--doc", Self.application], as: "bank", at: later)
        #expect(pinned.status == 0, "\(pinned.stderr)")
        #expect(pinned.stdout.contains("opened case M-4 (\(oldVersion))"))
        try w.expectRefusal(["is no version in force"]) {
            try Self.run(
                w,
                [
                    "open", "mortgage-approval@sha256:" + String(repeating: "0", count: 64), "M-5", "--doc",
                    Self.application,
                ],
                as: "bank",
                at: later
            )
        }

        for (caseID, version) in [("M-1", oldVersion), ("M-2", oldVersion), ("M-3", newVersion), ("M-4", oldVersion)] {
            let status = try w.cli.run("status", caseID, "--now", later)
            #expect(status.stdout.contains("Pipeline version: \(version)\n"), "\(caseID): \(status.stdout)")
        }
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: later).status == 0, "M-1 goes on under its version")
        #expect(try w.status("M-1", at: later)["pipelineVersion"] as? String == oldVersion)
        let versions = try #require(try Self.show(w)["pipelines"] as? [[String: Any]])
            .filter { $0["pipeline"] as? String == "mortgage-approval" }
        #expect(versions.map { $0["name"] as? String } == [oldVersion, newVersion])
        #expect(versions.map { $0["newest"] as? Bool } == [false, true])
        try w.expectRefusal(["is already in force", "nothing to propose"]) {
            try Self.run(w, ["propose", "pipelines/mortgage-approval.yaml"], as: "bank", at: later)
        }
    }
}
