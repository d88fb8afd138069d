import CountersignKit
import Foundation
import Testing

/// Issue 11's attacks, tried as an adversary would through the orchestrator: each is refused,
/// with a reason naming the rule, and appends nothing. The end-to-end counterparts through the
/// command line (stored bytes edited, oversized files, foreign and duplicate documents) are in
/// `SignOffAttackCommandTests`; DSSE encodings in `EnvelopeEncodingCommandTests`.
@Suite("Sign-off attacks of issue 11: refused, nothing appended")
struct SignOffAttackTests {
    /// `make()`'s entry, submitted, must be refused — when it is made, decoded or submitted — with
    /// each of `reasons` in what the engine says, and the ledger must keep its size.
    static func expectRefused(
        _ example: ExampleCase,
        _ reasons: [String],
        sourceLocation: Testing.SourceLocation = #_sourceLocation,
        _ make: () throws -> SignedEntry
    ) throws {
        let store = example.repository.ledger.store
        let before = try store.size()
        var message: String?
        do {
            try example.orchestrator.submit(try make(), now: example.now)
        } catch {
            message = "\(error)"
        }
        #expect(message != nil, "accepted", sourceLocation: sourceLocation)
        for reason in reasons {
            #expect(
                message?.contains(reason) == true,
                "'\(reason)' not in: \(message ?? "")",
                sourceLocation: sourceLocation
            )
        }
        #expect(try store.size() == before, "a refusal appended something", sourceLocation: sourceLocation)
    }

    /// A sign-off of `step` by `party` attaching `documents`, an hour later.
    static func stepEntry(
        _ example: ExampleCase,
        _ step: String,
        by party: String,
        _ documents: [DocumentUpload] = [],
        rejecting reason: String? = nil
    ) throws -> SignedEntry {
        example.now += 3_600
        return try example.orchestrator.stepEntry(
            caseID: example.caseID,
            step: step,
            party: party,
            key: example.workspace.keys[party]!,
            documents: documents,
            note: nil,
            rejectReason: reason,
            now: example.now
        )
    }

    /// An `attach` entry by `party`, an hour later.
    static func attachEntry(
        _ example: ExampleCase,
        by party: String,
        _ documents: [DocumentUpload]
    ) throws -> SignedEntry {
        example.now += 3_600
        return try example.orchestrator.attachEntry(
            caseID: example.caseID,
            party: party,
            key: example.workspace.keys[party]!,
            documents: documents,
            note: nil,
            now: example.now
        )
    }

    /// A `withdraw` entry by `party`, an hour later.
    static func withdrawEntry(
        _ example: ExampleCase,
        by party: String,
        reason: String = "no longer wanted"
    ) throws
        -> SignedEntry
    {
        example.now += 3_600
        return try example.orchestrator.withdrawEntry(
            caseID: example.caseID,
            party: party,
            key: example.workspace.keys[party]!,
            reason: reason,
            now: example.now
        )
    }

    /// The status label of `step` now.
    static func status(_ example: ExampleCase, _ step: String) throws -> String? {
        try example.repository.view(of: example.caseID, at: example.now).status(of: step)?.label
    }

    // MARK: - The attacks the issue names

    @Test(
        "the retailer cannot replace the draw result in its own step to skip the regulator; nor can anyone once the prize is determined"
    )
    func retailerReplacesTheDrawResult() throws {
        // Five numbers match: 25,000, so the regulator must approve the payment.
        let example = try ExampleCase("winning ticket")
        try example.sign("check-ticket", by: "retailer")
        try example.sign("record-draw", by: "operator", try example.document("draw-result", "draw-result.xml"))
        #expect(try Self.status(example, "determine-prize") == "done")
        // The same draw with the prize for five numbers cut to 2,500: the regulator's `if` would be false.
        let cheaper = try example.document("draw-result", "draw-result.xml", edit: (">25000<", ">2500<"))
        let claim = try example.document("claim", "claim-nsw.xml")
        try Self.expectRefused(
            example,
            [
                "step 'lodge-claim' may not attach a newer version of document 'draw-result': "
                    + "only a signer of step 'record-draw' may"
            ]
        ) { try Self.stepEntry(example, "lodge-claim", by: "retailer", [claim, cheaper]) }
        try Self.expectRefused(
            example,
            [
                "'retailer' may not attach a newer version of document 'draw-result': only a signer of step 'record-draw' may"
            ]
        ) { try Self.attachEntry(example, by: "retailer", [cheaper]) }
        // Even the operator, who produces it, cannot change it once the prize was determined on it.
        try Self.expectRefused(
            example,
            [
                "document 'draw-result' cannot change: step 'determine-prize' was decided (done)",
                "document 'draw-result' cannot change: step 'record-draw' was decided (done)",
            ]
        ) { try Self.attachEntry(example, by: "operator", [cheaper]) }

        try example.sign("lodge-claim", by: "retailer", claim)
        #expect(try Self.status(example, "regulator-approval") == "ready", "the regulator still has to approve")
        #expect(try Self.status(example, "pay-prize") == "blocked")
    }

    @Test(
        "the lawyer cannot attach a changed application to skip the board; nor can the bank once it was credit-checked"
    )
    func lawyerChangesTheApplication() throws {
        // 1,160,000: over 1,000,000, so two directors must approve.
        let example = try ExampleCase("large loan")
        try example.sign("credit-check", by: "bank")
        try example.sign("valuation", by: "bank", try example.document("valuation", "valuation.xml"))
        let smaller = try example.document("application", "application-large.xml", edit: (">1160000<", ">900000<"))
        try Self.expectRefused(
            example,
            [
                "step 'legal-review' may not attach a newer version of document 'application': only the opening attaches it"
            ]
        ) { try Self.stepEntry(example, "legal-review", by: "lawyer", [smaller]) }
        try Self.expectRefused(
            example,
            ["'lawyer' may not attach a newer version of document 'application': only the opening attaches it"]
        ) { try Self.attachEntry(example, by: "lawyer", [smaller]) }
        try Self.expectRefused(
            example,
            ["'bank' may not attach a newer version of document 'application': only the opening attaches it"]
        ) { try Self.attachEntry(example, by: "bank", [smaller]) }

        try example.sign("legal-review", by: "lawyer")
        #expect(try Self.status(example, "board-approval") == "ready", "the board still has to approve")
        try Self.expectRefused(example, ["waiting for step 'board-approval'"]) {
            try Self.stepEntry(
                example,
                "title-registration",
                by: "registry",
                [try example.document("title-deed", "title-deed.xml")]
            )
        }
    }

    @Test("re-attaching the ticket as sold in another territory cannot move the claim window")
    func ticketMovedToAnotherTerritory() throws {
        let example = try ExampleCase("winning ticket")
        try example.sign("check-ticket", by: "retailer")
        try example.sign("record-draw", by: "operator", try example.document("draw-result", "draw-result.xml"))
        let window = try example.repository.view(of: example.caseID, at: example.now).expiresAt
        #expect(window == example.now + 365 * 86_400, "NSW: 365 days from the draw")
        let queensland = try example.document("ticket", "ticket-winning.xml", edit: (">NSW<", ">QLD<"))
        for party in ["retailer", "operator"] {
            try Self.expectRefused(
                example,
                ["'\(party)' may not attach a newer version of document 'ticket': only the opening attaches it"]
            ) { try Self.attachEntry(example, by: party, [queensland]) }
        }
        try Self.expectRefused(
            example,
            ["step 'lodge-claim' may not attach a newer version of document 'ticket'"]
        ) {
            try Self.stepEntry(
                example,
                "lodge-claim",
                by: "retailer",
                [try example.document("claim", "claim-nsw.xml"), queensland]
            )
        }
        #expect(try example.repository.view(of: example.caseID, at: example.now).expiresAt == window)
    }

    /// The lottery pipeline with `revised-by: [check-ticket]` on the ticket: the retailer may
    /// correct it — until a decision rests on it.
    static func revisableTicket() throws -> EngineWorkspace {
        try EngineWorkspace(editing: [
            "pipelines/lotto-claim.yaml": {
                $0.replacingOccurrences(
                    of: "ticket: { schema: schemas/lotto-ticket.xsd }",
                    with: "ticket: { schema: schemas/lotto-ticket.xsd, revised-by: [check-ticket] }"
                )
            }
        ])
    }

    @Test("a ticket its pipeline lets the retailer revise is frozen once the claim window was set from its territory")
    func expiryKeyFrozen() throws {
        let example = try ExampleCase("winning ticket", in: try Self.revisableTicket())
        #expect(example.pipeline.document("ticket")?.revisedBy == ["check-ticket"])
        // Before anything rests on it, the retailer may correct the ticket (here: the store's name).
        try example.attach(
            by: "retailer",
            try example.document("ticket", "ticket-winning.xml", edit: ("Harbour", "Quay"))
        )
        try example.sign("record-draw", by: "operator", try example.document("draw-result", "draw-result.xml"))
        let window = try example.repository.view(of: example.caseID, at: example.now).expiresAt
        let queensland = try example.document("ticket", "ticket-winning.xml", edit: (">NSW<", ">QLD<"))
        try Self.expectRefused(
            example,
            [
                "document 'ticket' cannot change: the case's window was set from it (string($ticket/ticket/territory)) when it began"
            ]
        ) { try Self.attachEntry(example, by: "retailer", [queensland]) }
        #expect(try example.repository.view(of: example.caseID, at: example.now).expiresAt == window)
    }

    @Test("one entry cannot attach the same document name twice, however it is made")
    func documentNamedTwice() throws {
        let example = try ExampleCase("small loan")
        try example.sign("credit-check", by: "bank")
        let valuation = try example.document("valuation", "valuation.xml")
        let other = try example.document("valuation", "valuation.xml", edit: ("1480000", "1490000"))
        try Self.expectRefused(example, ["document 'valuation': given twice"]) {
            try Self.stepEntry(example, "valuation", by: "bank", [valuation, other])
        }
        // By hand: the predicate cannot name it twice, nor the statement list it twice.
        #expect(throws: LedgerFormatError.self) {
            try StepPredicate(
                pipeline: "mortgage-approval",
                pipelineDigest: SHA256.hash([1]),
                caseID: example.caseID,
                step: "valuation",
                party: "bank",
                decision: .approve,
                signedAt: example.now,
                previous: SHA256.hash([2]),
                attaches: [
                    .init(name: "valuation", sha256: SHA256.hash([3])),
                    .init(name: "valuation", sha256: SHA256.hash([4])),
                ]
            )
        }
        let signed = try example.handSigned("valuation", by: "bank", documents: [valuation])
        let payload = String(decoding: signed.payload, as: UTF8.self)
        let fingerprint = try XMLDocument(bytes: valuation.bytes, source: "valuation").fingerprint().digest.hex
        let subject = #"{"name":"valuation","digest":{"sha256":"\#(fingerprint)"}}"#
        #expect(payload.contains(subject))
        let twice = payload.replacingOccurrences(of: subject, with: subject + "," + subject)
        let envelope = try Envelope.sign(payload: Array(twice.utf8), key: example.workspace.keys["bank"]!)
        try Self.expectRefused(example, ["each document named once"]) {
            try example.orchestrator.decodeSubmission(envelope: envelope.bytes, documents: [valuation])
        }
    }

    @Test("an attachment cannot name another case's document by its fingerprint alone")
    func foreignDocumentByFingerprint() throws {
        let example = try ExampleCase("small loan")
        let orchestrator = example.orchestrator
        // Case-2 carries a valuation of 1,500,000; case-1 has none yet.
        let foreign = try example.document("valuation", "valuation.xml", edit: ("1480000", "1500000"))
        try orchestrator.submit(
            try orchestrator.openEntry(
                pipeline: example.pipeline,
                caseID: "case-2",
                party: "bank",
                key: example.workspace.keys["bank"]!,
                documents: [try example.document("application", "application-small.xml")],
                now: example.now
            ),
            now: example.now
        )
        for (step, documents) in [("credit-check", [DocumentUpload]()), ("valuation", [foreign])] {
            example.now += 3_600
            try orchestrator.submit(
                try orchestrator.stepEntry(
                    caseID: "case-2",
                    step: step,
                    party: "bank",
                    key: example.workspace.keys["bank"]!,
                    documents: documents,
                    note: nil,
                    rejectReason: nil,
                    now: example.now
                ),
                now: example.now
            )
        }
        try example.sign("credit-check", by: "bank")
        // The bank signs case-1's valuation offline naming that document, and sends no document.
        let signed = try Self.stepEntry(example, "valuation", by: "bank", [foreign])
        try Self.expectRefused(
            example,
            ["document 'valuation': the entry attaches it but it was not sent with the envelope"]
        ) { try orchestrator.decodeSubmission(envelope: signed.envelope.bytes, documents: []) }
        #expect(try Self.status(example, "valuation") == "ready")
    }

    // MARK: - Neighbouring attacks

    @Test("a party whose step neither needs nor produces a document cannot attach it, in its step or by attach")
    func attachByAPartyThatDoesNotOwnTheDocument() throws {
        let example = try ExampleCase("small loan")
        try example.sign("credit-check", by: "bank")
        let valuation = try example.document("valuation", "valuation.xml")
        try Self.expectRefused(
            example,
            ["'registry' may not attach document 'valuation': only a signer of step 'valuation' may"]
        ) { try Self.attachEntry(example, by: "registry", [valuation]) }
        try Self.expectRefused(
            example,
            ["step 'legal-review' may not attach document 'title-deed': only a signer of step 'title-registration' may"]
        ) {
            try Self.stepEntry(
                example,
                "legal-review",
                by: "lawyer",
                [try example.document("title-deed", "title-deed.xml", edit: ("1160000", "640000"))]
            )
        }
        // A party of no step of the pipeline at all.
        try Self.expectRefused(example, ["'manufacturer' may not attach document 'valuation'"]) {
            try Self.attachEntry(example, by: "manufacturer", [valuation])
        }
        // The step's own signer may attach it ahead of signing, and the step then takes it.
        try example.attach(by: "bank", valuation)
        try example.sign("valuation", by: "bank")
        #expect(try Self.status(example, "valuation") == "done")
    }

    @Test("the opening cannot attach a document a step produces")
    func openerAttachesAProducedDocument() throws {
        let example = try ExampleCase("small loan")
        let before = try example.repository.ledger.store.size()
        #expect {
            try example.orchestrator.submit(
                try example.orchestrator.openEntry(
                    pipeline: example.pipeline,
                    caseID: "case-2",
                    party: "bank",
                    key: example.workspace.keys["bank"]!,
                    documents: [
                        try example.document("application", "application-small.xml"),
                        try example.document("valuation", "valuation.xml"),
                    ],
                    now: example.now
                ),
                now: example.now
            )
        } throws: { error in
            "\(error)".contains("the opening may not attach document 'valuation': step 'valuation' produces it")
        }
        #expect(try example.repository.ledger.store.size() == before)
        #expect(try example.repository.state(of: "case-2") == nil)
    }

    @Test("only the opener or the orchestrator withdraws a case, with a reason; a closed case takes no attachment")
    func withdrawAndAttachAfterTheEnd() throws {
        // The lottery's opener is the retailer, its orchestrator the operator.
        let example = try ExampleCase("winning ticket")
        try example.sign("check-ticket", by: "retailer")
        try Self.expectRefused(
            example,
            [
                "party 'regulator' may not withdraw the case: only its opener 'retailer' or the orchestrator 'operator' may"
            ]
        ) { try Self.withdrawEntry(example, by: "regulator") }
        try Self.expectRefused(example, ["a withdrawal states its reason"]) {
            try Self.withdrawEntry(example, by: "retailer", reason: "  ")
        }
        try Self.expectRefused(example, ["an attach entry attaches at least one document"]) {
            try Self.attachEntry(example, by: "operator", [])
        }
        try example.withdraw(by: "operator", reason: "the ticket was reported stolen")
        #expect(try example.repository.view(of: example.caseID, at: example.now).outcome == .withdrawn)
        let draw = try example.document("draw-result", "draw-result.xml")
        try Self.expectRefused(example, ["the case is withdrawn"]) {
            try Self.attachEntry(example, by: "operator", [draw])
        }
        try Self.expectRefused(example, ["the case is withdrawn"]) { try Self.withdrawEntry(example, by: "retailer") }

        // A completed case: the Queensland ticket's 20 needs no regulator.
        let completed = try ExampleCase("winning QLD ticket")
        try completed.sign("check-ticket", by: "retailer")
        try completed.sign("record-draw", by: "operator", try completed.document("draw-result", "draw-result.xml"))
        try completed.sign("lodge-claim", by: "retailer", try completed.document("claim", "claim-qld.xml"))
        try completed.sign("pay-prize", by: "operator")
        #expect(try completed.repository.view(of: completed.caseID, at: completed.now).outcome == .completed)
        try Self.expectRefused(completed, ["the case is completed"]) {
            try Self.attachEntry(completed, by: "retailer", [try completed.document("claim", "claim-qld.xml")])
        }
        try Self.expectRefused(completed, ["the case is completed"]) {
            try Self.withdrawEntry(completed, by: "retailer")
        }
    }

    @Test("automatic, expiry and withdrawal entries attach no documents")
    func entriesThatAttachNothing() throws {
        let example = try ExampleCase("winning ticket")
        try example.sign("check-ticket", by: "retailer")
        let draw = try example.document("draw-result", "draw-result.xml")
        for (step, party, decision) in [
            ("determine-prize", "operator", StepPredicate.Decision.auto),
            (StepPredicate.expireStep, "operator", .expire),
            (StepPredicate.withdrawStep, "retailer", .withdraw),
        ] {
            let forged = try example.handSigned(step, by: party, decision, documents: [draw])
            try Self.expectRefused(example, ["a '\(decision.rawValue)' entry attaches no documents"]) {
                try example.orchestrator.decodeSubmission(envelope: forged.bytes, documents: [draw])
            }
        }
    }

    @Test("the step that produces a document cannot replace it once the step is decided")
    func producerReplacesItsDecidedDocument() throws {
        let example = try ExampleCase("large loan")
        try example.sign("credit-check", by: "bank")
        try example.sign("valuation", by: "bank", try example.document("valuation", "valuation.xml"))
        let lower = try example.document("valuation", "valuation.xml", edit: ("1480000", "1460000"))
        try Self.expectRefused(example, ["document 'valuation' cannot change: step 'valuation' was decided (done)"]) {
            try Self.attachEntry(example, by: "bank", [lower])
        }
    }

    @Test("a step/v1 entry is refused on append: it endorses no document (read in old ledgers only)")
    func revision1EntryRefused() throws {
        let example = try ExampleCase("small loan")
        let head = try #require(try example.repository.state(of: example.caseID)).head
        example.now += 3_600
        let predicate = try StepPredicate(
            pipeline: example.pipeline.id,
            pipelineDigest: Digest(hex: example.pipeline.digest.dropFirst("sha256:".count))!,
            caseID: example.caseID,
            step: "credit-check",
            party: "bank",
            decision: .approve,
            signedAt: example.now,
            previous: head,
            attaches: nil
        )
        let envelope = try Envelope.sign(
            statement: Statement(subjects: [], predicate: predicate),
            key: example.workspace.keys["bank"]!
        )
        try Self.expectRefused(example, ["it is a https://countersign.dev/step/v1 entry"]) {
            try example.orchestrator.decodeSubmission(envelope: envelope.bytes, documents: [])
        }
        #expect(try Self.status(example, "credit-check") == "ready")
    }

    @Test("a signature that does not endorse the case's documents as they stand is refused")
    func endorsementOfOtherDocuments() throws {
        let example = try ExampleCase("large loan")
        try example.sign("credit-check", by: "bank")
        try example.sign("valuation", by: "bank", try example.document("valuation", "valuation.xml"))
        try example.sign("legal-review", by: "lawyer")
        let application = try #require(try example.repository.state(of: example.caseID)?.attachments["application"])
        // A director's approval that leaves the valuation out, or names another application.
        let partial = try example.handSigned(
            "board-approval",
            by: "director-a",
            endorsing: ["application": application.fingerprint.digest]
        )
        try Self.expectRefused(example, ["it does not list 'valuation'"]) {
            try example.orchestrator.decodeSubmission(envelope: partial.bytes, documents: [])
        }
        let smaller = try example.document("application", "application-large.xml", edit: (">1160000<", ">900000<"))
        var other = try #require(
            try example.repository.state(of: example.caseID)?.attachments.mapValues(\.fingerprint.digest)
        )
        other["application"] = try XMLDocument(bytes: smaller.bytes, source: "smaller").fingerprint().digest
        let misnamed = try example.handSigned("board-approval", by: "director-a", endorsing: other)
        try Self.expectRefused(example, ["it lists another version of 'application' than the case holds"]) {
            try example.orchestrator.decodeSubmission(envelope: misnamed.bytes, documents: [])
        }
        #expect(try Self.status(example, "board-approval") == "ready")
    }
}

extension SignOffAttackTests {
    /// The mortgage pipeline with a `waiver` document the lawyer may revise, which the board's
    /// `if` reads: a granted waiver skips the board.
    static func waivableBoard() throws -> EngineWorkspace {
        try EngineWorkspace(editing: [
            "pipelines/mortgage-approval.yaml": {
                $0.replacingOccurrences(
                    of: "  title-deed: { schema: schemas/title-deed.xsd }\n",
                    with: "  title-deed: { schema: schemas/title-deed.xsd }\n  waiver: { revised-by: [legal-review] }\n"
                ).replacingOccurrences(
                    of: #"if: "number($application/application/loan/amount) > 1000000""#,
                    with:
                        #"if: "number($application/application/loan/amount) > 1000000 and string($waiver/waiver) != 'granted'""#
                )
            }
        ])
    }

    static func waiver(_ text: String) -> DocumentUpload {
        DocumentUpload(name: "waiver", bytes: Array("<waiver>\(text)</waiver>".utf8), source: "waiver \(text)")
    }

    @Test(
        "once a step's `if` is decided (the step became ready), a change to what it reads that would skip the step is refused, naming it"
    )
    func frozenConditionOfAReadyStep() throws {
        let workspace = try Self.waivableBoard()
        let application = try workspace.sample("mortgage-approval", "application-large.xml", as: "application")
        let example = try ExampleCase("large loan", opening: [application, Self.waiver("none")], in: workspace)
        try example.sign("credit-check", by: "bank")
        try example.sign("valuation", by: "bank", try example.document("valuation", "valuation.xml"))
        try example.sign("legal-review", by: "lawyer")
        #expect(try Self.status(example, "board-approval") == "ready")
        // The lawyer may revise the waiver, but granting it now would skip the board that is waiting.
        let refusal =
            "document 'waiver' cannot change so: step 'board-approval' would be skipped, though its condition "
            + "`number($application/application/loan/amount) > 1000000 and string($waiver/waiver) != 'granted'` "
            + "held when it became ready"
        try Self.expectRefused(example, [refusal]) {
            try Self.attachEntry(example, by: "lawyer", [Self.waiver("granted")])
        }
        #expect(try Self.status(example, "board-approval") == "ready")
        // A revision that leaves the `if` as it was decided is taken.
        try example.attach(by: "lawyer", Self.waiver("refused"))
        try example.sign("board-approval", by: "director-a")
        try Self.expectRefused(example, [refusal]) {
            try Self.attachEntry(example, by: "lawyer", [Self.waiver("granted")])
        }
        guard
            case .ready(_, _, let signed, _, _)? = try example.repository.view(of: example.caseID, at: example.now)
                .status(of: "board-approval")
        else { throw EngineError.unknownCase("board-approval is not ready") }
        #expect(signed == ["director-a"], "the director's approval stands")
    }
}

extension SignOffAttackTests {
    @Test("a document first attached after the claim window began cannot move it, when the window's key reads it")
    func firstVersionMovesTheWindow() throws {
        // The mortgage's six months become two years for a property the valuation names: a valuation
        // attached once the window runs would lengthen it.
        let workspace = try EngineWorkspace(editing: [
            "pipelines/mortgage-approval.yaml": {
                $0.replacingOccurrences(
                    of: "  default: P6M                    # an approval not completed within six months lapses\n",
                    with: """
                          default: P6M
                          key: "string($valuation/valuation/property/address)"
                          windows: { "12 Harbour Street, Sydney NSW 2000": P2Y }

                        """
                )
            }
        ])
        let example = try ExampleCase("small loan", in: workspace)
        #expect(example.pipeline.expiry?.key != nil)
        let window = try example.repository.view(of: example.caseID, at: example.now).expiresAt
        try example.sign("credit-check", by: "bank")
        let valuation = try example.document("valuation", "valuation.xml")
        try Self.expectRefused(
            example,
            ["document 'valuation' cannot be attached now: the case's window was set without it"]
        ) { try Self.stepEntry(example, "valuation", by: "bank", [valuation]) }
        #expect(try example.repository.view(of: example.caseID, at: example.now).expiresAt == window)
        // A valuation of another property leaves the window as it was: taken.
        let elsewhere = try example.document("valuation", "valuation.xml", edit: ("12 Harbour", "14 Harbour"))
        try Self.expectRefused(example, ["criterion not met"]) {
            try Self.stepEntry(example, "valuation", by: "bank", [elsewhere])
        }
        try example.attach(by: "bank", elsewhere)
        #expect(try example.repository.view(of: example.caseID, at: example.now).expiresAt == window)
    }
}
