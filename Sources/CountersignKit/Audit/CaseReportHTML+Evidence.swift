import Foundation

extension CaseReportHTML {
    /// What a bundle's case-head proof and checkpoint say, read for the report: a rendering of
    /// `data/case-head.proof` and `data/checkpoint.txt`, not a check (`verify-bundle` is the check).
    struct Evidence {
        let proof: CaseHeadProof
        let checkpoint: Checkpoint?
        let view: CaseView
        let consortium: GovernanceState?

        init(proof: CaseHeadProof, view: CaseView, consortium: GovernanceState?) {
            self.proof = proof
            checkpoint = try? Checkpoint(note: proof.note)
            self.view = view
            self.consortium = consortium
        }

        /// Whether the case's leaf folded with the proof's siblings gives the checkpoint's map root.
        var folds: Bool {
            guard let root = proof.root, let expected = checkpoint?.caseMapRoot else { return false }
            return root == expected
        }

        /// The report's entry whose leaf hash the map records as the case's head.
        var headEntry: CaseEvent? {
            view.state.events.first { $0.leafHash == proof.head.headLeaf }
        }

        /// Whether the map's head is this report's: as many entries, the newest the same.
        var matchesReport: Bool {
            proof.head.count == view.state.events.count && headEntry?.index == view.state.events.last?.index
        }

        /// The log size, as the checkpoint states it (or `?` when its note does not parse).
        private var size: String { checkpoint.map { String($0.size) } ?? "?" }

        /// One line for the header: what the map records, and whether its proof leads to the checkpoint.
        var headline: String {
            let head = proof.head
            let recorded =
                "at log size \(size), \(head.count) entr\(head.count == 1 ? "y" : "ies"), outcome "
                + HTML.badge(head.outcome, kind: head.outcome)
            guard folds else {
                return recorded + " — " + HTML.badge("proof does not lead to the checkpoint", kind: "rejected")
            }
            guard matchesReport else {
                return recorded + " — " + HTML.badge("differs from this report", kind: "rejected")
            }
            return recorded + " — the checkpoint's case-head map says this report holds the whole case"
        }

        /// The case-head proof: what the map records, whether the path folds to the checkpoint's
        /// map root, and whether this report shows that head.
        var caseHeadSection: String {
            let head = proof.head
            let newest =
                headEntry.map { "newest entry \($0.index)" }
                ?? "newest entry with leaf hash \(HTML.code(head.headLeaf.hex)), which is not among this report's entries"
            var paragraphs = [
                "At log size \(size) the log's case-head map records this case with \(head.count) "
                    + "entr\(head.count == 1 ? "y" : "ies"), \(newest), outcome "
                    + HTML.badge(head.outcome, kind: head.outcome) + "."
            ]
            let root = proof.root.map { HTML.code($0.hex) } ?? "nothing (a sibling is not a 32-byte hash)"
            let mapRoot = checkpoint?.caseMapRoot.map { HTML.code($0.hex) }
            let siblings = "\(proof.siblings.count) sibling hash\(proof.siblings.count == 1 ? "" : "es")"
            if folds {
                paragraphs.append(
                    HTML.badge("proof folds to the checkpoint", kind: "done") + " The case's leaf and the "
                        + "proof's \(siblings) fold to \(root), the checkpoint's "
                        + "<code>countersign.dev/case-map</code> root."
                )
            } else {
                paragraphs.append(
                    HTML.badge("proof does not fold to the checkpoint", kind: "rejected") + " The case's leaf and "
                        + "the proof's \(siblings) fold to \(root), but the checkpoint's "
                        + "case-map root is \(mapRoot ?? "missing (it has no countersign.dev/case-map line)")."
                )
            }
            let state = view.state
            if matchesReport && folds {
                paragraphs.append(
                    "This report shows those \(state.events.count) entries, the newest \(state.events.last!.index): "
                        + "up to log size \(size), no entry of the case is left out."
                )
            } else if matchesReport {
                paragraphs.append(
                    "This report shows \(state.events.count) entries, the newest \(state.events.last!.index), as the "
                        + "proof's head says; but a proof that does not fold to the checkpoint proves nothing of them."
                )
            } else {
                paragraphs.append(
                    HTML.badge("differs from this report", kind: "rejected") + " This report shows "
                        + "\(state.events.count) entr\(state.events.count == 1 ? "y" : "ies"), the newest "
                        + "\(state.events.last!.index): not the head the map records."
                )
            }
            paragraphs.append(
                "<span class=\"muted\">This is a rendering of <code>data/case-head.proof</code>, not a check: "
                    + "<code>countersign verify-bundle</code> verifies the checkpoint's signatures and matches the "
                    + "proof against the bag's entries and the outcome they replay to.</span>"
            )
            return paragraphs.map { "<p>\($0)</p>" }.joined(separator: "\n")
        }

        /// The checkpoint the proofs lead to: its size, log time and roots, the log's signature,
        /// and each witness's cosignature with its time. Only signature lines that verify with a
        /// member's key count.
        func checkpointSection(_ names: PartyNames) -> String {
            guard let checkpoint else {
                return "<p>" + HTML.badge("unreadable", kind: "rejected")
                    + " The checkpoint note is not a checkpoint.</p>"
            }
            var facts: [(String, String)] = [
                ("Log", HTML.code(checkpoint.origin)),
                ("Tree size", "\(checkpoint.size) entries (indexes 0 to \(max(Int(checkpoint.size) - 1, 0)))"),
                (
                    "Log time",
                    checkpoint.logTime.map { "\(Timestamp.format($0)), when its newest entry reached the log" }
                        ?? "none stated"
                ),
                ("Log root", HTML.code(checkpoint.rootHash.hex)),
                ("Case-head map root", checkpoint.caseMapRoot.map { HTML.code($0.hex) } ?? "none stated"),
            ]
            guard let consortium,
                let signatures = try? CheckpointSignatures(
                    of: proof.note,
                    checkpoint: checkpoint,
                    governance: consortium
                )
            else {
                facts.append(("Signed by", "not judged: no consortium to judge its signatures by"))
                return Self.facts(facts)
            }
            if let key = signatures.logKey {
                facts.append(
                    (
                        "Signed by",
                        "\(HTML.escape(names.label(key.party))), the log signer, with key \(HTML.code(key.keyID))"
                    )
                )
            } else {
                facts.append(("Signed by", HTML.badge("not the log", kind: "rejected") + " no valid log signature"))
            }
            var parts = [Self.facts(facts)]
            if !signatures.problems.isEmpty {
                parts.append(
                    "<div class=\"notice alarm\"><p>These signatures do not hold up:</p><ul>"
                        + signatures.problems.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul></div>"
                )
            }
            parts.append("<h3>Witnesses</h3>")
            if signatures.cosigners.isEmpty {
                parts.append(HTML.none("No witness's cosignature on this checkpoint verifies."))
            } else {
                let rows = signatures.cosigners.map { party, cosignature in
                    [
                        HTML.escape(names.label(party)),
                        Timestamp.format(cosignature.time),
                        witnessKey(party, cosignature, in: consortium).map(HTML.code) ?? "—",
                    ]
                }
                parts.append(HTML.table(["Witness", "Cosigned at (UTC)", "Key id"], rows: rows, class: "witnesses"))
            }
            if !signatures.unknown.isEmpty {
                let count = signatures.unknown.count
                parts.append(
                    HTML.none(
                        "Not counted: \(count) signature line\(count == 1 ? "" : "s") by keys no member holds under "
                            + "that name (\(signatures.unknown.map(\.name).joined(separator: ", ")))."
                    )
                )
            }
            parts.append(
                "<p class=\"muted\">A witness cosigns a checkpoint only once it has checked that the log's tree "
                    + "grew from the checkpoints it saw before; the time is the witness's own clock.</p>"
            )
            return parts.joined(separator: "\n")
        }

        /// The id of the witness's key that made `cosignature`.
        private func witnessKey(_ party: String, _ cosignature: Cosignature, in consortium: GovernanceState) -> String?
        {
            ((try? consortium.keys(of: party)) ?? []).first { key in
                (try? NoteVerifier(name: party, publicKey: key.publicKey, type: .cosignatureV1))?.keyID
                    == cosignature.keyID
            }?.keyID
        }

        private static func facts(_ facts: [(String, String)]) -> String {
            "<dl class=\"facts\">\n" + facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined(separator: "\n")
                + "\n</dl>"
        }
    }
}
