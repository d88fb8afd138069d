import CountersignKit
import Foundation
import Testing

@Suite("Case audit report: display names, checkpoint and witnesses, case head, hashes")
struct CaseReportEvidenceTests {
    @Test("every party shows with its display name beside its id: header, steps, documents, entries, timeline")
    func displayNames() throws {
        let fixture = try CaseReportFixture()
        let view = try fixture.completedMortgage()
        let names = PartyNames(fixture.consortium)
        let html = CaseReportHTML.render(view, consortium: fixture.consortium)
        #expect(names.label("bank") == "First Harbour Bank (bank)", "the name of parties/bank.yaml")
        #expect(html.contains("<dt>Opened</dt><dd>by First Harbour Bank (bank) at 2026-11-02T09:00:00Z</dd>"))
        #expect(
            html.contains(
                "Done by Amara Okafor, Director (director-a) and Britt Lindqvist, Director (director-b) at "
                    + "2026-11-06T18:00:00Z"
            )
        )
        #expect(
            html.contains(
                "<td>2 of<br>Amara Okafor, Director (director-a)<br>Britt Lindqvist, Director (director-b)<br>"
                    + "Chen Tanaka, Director (director-c)</td>"
            )
        )
        #expect(html.contains("<td>NSW Land Registry Services (registry) at 2026-11-09T09:00:00Z</td>"), "attached by")
        for event in view.state.events {
            let party = event.predicate.party
            let label = try #require(fixture.consortium.members[party]).name + " (\(party))"
            #expect(
                html.contains("<td>\(HTML.escape(label))</td><td>\(event.predicate.step)</td>"),
                "entry \(event.index)"
            )
            #expect(!html.contains("<td>\(party)</td>"), "no bare id")
        }
        #expect(html.contains(">First Harbour Bank</text>") && html.contains(">bank · orchestrator</text>"))
        #expect(names.label("nobody") == "nobody", "a party the consortium does not name shows as its id")
    }

    @Test("the checkpoint: size, log time, roots in hex, the log signer and each witness's cosignature time")
    func checkpointAndWitnesses() throws {
        let fixture = try CaseReportFixture()
        let view = try fixture.completedMortgage()
        let proof = try fixture.caseHead(
            of: view.state.caseID,
            witnesses: [("regulator", "2026-11-09T12:00:00Z"), ("lawyer-partner", "2026-11-09T12:30:00Z")]
        )
        let checkpoint = try Checkpoint(note: proof.note)
        // Lines that do not verify with a member's key: the regulator's name with another key, and a stranger.
        let impostor = try Ed25519PrivateKey()
        var note = proof.note
        for name in ["regulator", "mallory"] {
            let line = try Cosignature.sign(
                checkpoint,
                name: name,
                key: impostor,
                time: CaseReportFixture.time("2026-11-09T13:00:00Z")
            )
            note = try note.adding(line.noteSignature)
        }
        let html = CaseReportHTML.render(
            view,
            consortium: fixture.consortium,
            caseHead: CaseHeadProof(head: proof.head, siblings: proof.siblings, note: note)
        )
        let size = Int(checkpoint.size)
        #expect(size == fixture.founding + 8)
        #expect(html.contains("<dt>Tree size</dt><dd>\(size) entries (indexes 0 to \(size - 1))</dd>"))
        let logTime = Timestamp.format(try #require(checkpoint.logTime))
        #expect(html.contains("<dt>Log time</dt><dd>\(logTime), when its newest entry reached the log</dd>"))
        #expect(html.contains("<dt>Log root</dt><dd><code>\(checkpoint.rootHash.hex)</code></dd>"))
        #expect(
            html.contains(
                "<dt>Case-head map root</dt><dd><code>\(try #require(checkpoint.caseMapRoot).hex)</code></dd>"
            )
        )
        let bankKey = try #require(fixture.consortium.members["bank"]?.keyIDs.first)
        #expect(
            html.contains(
                "<dt>Signed by</dt><dd>First Harbour Bank (bank), the log signer, with key <code>\(bankKey)</code></dd>"
            )
        )
        for (witness, name, time) in [
            ("regulator", "Office of Gaming Regulation", "2026-11-09T12:00:00Z"),
            ("lawyer-partner", "Jane Smith, Partner, Smith &amp; Jones", "2026-11-09T12:30:00Z"),
        ] {
            let key = try #require(fixture.consortium.members[witness]?.keyIDs.first)
            #expect(html.contains("<tr><td>\(name) (\(witness))</td><td>\(time)</td><td><code>\(key)</code></td></tr>"))
        }
        #expect(!html.contains("2026-11-09T13:00:00Z"), "a line that does not verify gives no time")
        #expect(
            html.contains(
                "Not counted: 2 signature lines by keys no member holds under that name (regulator, mallory)."
            )
        )
        let alone = CaseReportHTML.render(
            view,
            consortium: fixture.consortium,
            caseHead: try fixture.caseHead(of: "M-2026-0042")
        )
        #expect(alone.contains("No witness&#39;s cosignature on this checkpoint verifies."))
    }

    @Test("the case-head proof: what the map records at the checkpoint, and that its path folds to the map root")
    func caseHead() throws {
        let fixture = try CaseReportFixture()
        let view = try fixture.completedMortgage()
        _ = try fixture.twoYearClaim()  // a second case, so the proof has a path
        let proof = try fixture.caseHead(of: view.state.caseID)
        #expect(!proof.siblings.isEmpty)
        let size = Int(try Checkpoint(note: proof.note).size)
        let newest = view.state.events.last!.index
        let html = CaseReportHTML.render(view, consortium: fixture.consortium, caseHead: proof)
        #expect(
            html.contains(
                "At log size \(size) the log's case-head map records this case with 8 entries, newest entry "
                    + "\(newest), outcome <span class=\"badge completed\">completed</span>."
            )
        )
        #expect(html.contains("<span class=\"badge done\">proof folds to the checkpoint</span>"))
        let path = proof.siblings.count == 1 ? "1 sibling hash" : "\(proof.siblings.count) sibling hashes"
        #expect(html.contains("the proof's \(path) fold to"))
        #expect(
            html.contains(
                "This report shows those 8 entries, the newest \(newest): up to log size \(size), no entry of the case is left out."
            )
        )
        #expect(
            html.contains(
                "<dt>Case head</dt><dd>at log size \(size), 8 entries, outcome <span class=\"badge completed\">completed</span> — the checkpoint"
            )
        )
        #expect(html.contains("not a check: <code>countersign verify-bundle</code>"))

        // A proof whose path was changed, or whose head was, does not fold to the checkpoint's root.
        var siblings = proof.siblings
        siblings[0] = Digest(bytes: siblings[0].bytes.map { $0 ^ 1 })
        var shortened = proof.head
        shortened.count = 7
        for (what, bad) in [
            ("a sibling", CaseHeadProof(head: proof.head, siblings: siblings, note: proof.note)),
            ("the count", CaseHeadProof(head: shortened, siblings: proof.siblings, note: proof.note)),
        ] {
            let page = CaseReportHTML.render(view, consortium: fixture.consortium, caseHead: bad)
            #expect(
                page.contains("<span class=\"badge rejected\">proof does not fold to the checkpoint</span>"),
                "\(what)"
            )
            #expect(!page.contains("proof folds to the checkpoint"), "\(what)")
            #expect(!page.contains("no entry of the case is left out"), "\(what)")
            #expect(page.contains("proves nothing of them") == (what == "a sibling"), "\(what)")
            #expect(page.contains("not the head the map records") == (what == "the count"), "\(what)")
        }
    }

    @Test("a proof of an older checkpoint folds, but the report says it is not the head of the case it shows")
    func olderProof() throws {
        let fixture = try CaseReportFixture()
        let open = try fixture.overdueMortgage()
        let older = try fixture.caseHead(of: open.state.caseID)
        try fixture.sign(open.state.caseID, "legal-review", as: "lawyer", at: "2026-12-01T00:00:00Z")
        let view = try fixture.view(open.state.caseID, at: "2026-12-01T00:00:00Z")
        let html = CaseReportHTML.render(view, consortium: fixture.consortium, caseHead: older)
        #expect(html.contains("proof folds to the checkpoint"))
        #expect(html.contains("records this case with 2 entries, newest entry \(open.state.events.last!.index)"))
        #expect(html.contains("This report shows 3 entries, the newest \(view.state.events.last!.index): not the head"))
        #expect(html.contains("<span class=\"badge rejected\">differs from this report</span>"))
    }

    @Test("one encoding for hashes: lowercase hex throughout, the checkpoint's base64 roots converted, a legend")
    func hashEncoding() throws {
        let fixture = try CaseReportFixture()
        let view = try fixture.completedMortgage()
        let proof = try fixture.caseHead(of: view.state.caseID, witnesses: [("regulator", "2026-11-09T12:00:00Z")])
        let html = CaseReportHTML.render(view, consortium: fixture.consortium, caseHead: proof)
        let body = proof.note.text.split(separator: "\n").map(String.init)
        let base64Root = body[2]
        let base64MapRoot = String(try #require(body.first { $0.hasPrefix("countersign.dev/case-map ") }).dropFirst(25))
        for root in [base64Root, base64MapRoot] {
            #expect(!html.contains(root), "the checkpoint's base64 is not shown")
            let hex = try #require(Data(base64Encoded: root)).map { String(format: "%02x", $0) }.joined()
            #expect(html.contains("<code>\(hex)</code>"))
        }
        let base64Hashes = try Regex(#"[A-Za-z0-9+/]{43}="#)
        #expect(html.firstMatch(of: base64Hashes) == nil, "no 32-byte hash in base64 anywhere")
        let upperHex = try Regex(#"[0-9a-fA-F]*[A-F][0-9a-fA-F]*"#)
        let hexRuns = html.matches(of: try Regex(#"[0-9a-fA-F]{40,}"#)).map { String(html[$0.range]) }
        #expect(hexRuns.count > 20, "leaf hashes, key ids, fingerprints, roots")
        #expect(hexRuns.allSatisfy { $0.wholeMatch(of: upperHex) == nil }, "all lowercase")
        #expect(html.contains("<dt>Hashes</dt><dd>every hash on this page is SHA-256 in lowercase hex"))
    }

    @Test("the same case, consortium and proof render the same bytes")
    func deterministic() throws {
        let fixture = try CaseReportFixture()
        let view = try fixture.completedMortgage()
        let proof = try fixture.caseHead(of: view.state.caseID, witnesses: [("regulator", "2026-11-09T12:00:00Z")])
        let reloaded = try CaseRepository(ledger: fixture.ledger).view(of: view.state.caseID, at: view.now)
        #expect(
            CaseReportHTML.render(view, consortium: fixture.consortium, caseHead: proof)
                == CaseReportHTML.render(reloaded, consortium: fixture.consortium, caseHead: proof)
        )
    }
}
