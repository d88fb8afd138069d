extension TimelineSVG {
    /// The timeline of one case: a lane per party that signed, in the order they first did, plus the
    /// pipeline's orchestrator; a mark per entry; the approvals of a step that needs several parties
    /// joined. Lanes and hover texts show each party's display name from `names` beside its id.
    /// `signingKeys` is the id of the key that made each entry's signature, by log index (an entry
    /// it leaves out shows the key its signature names, if any).
    public init(case view: CaseView, names: PartyNames = PartyNames(), signingKeys: [Int: String] = [:]) {
        let orchestrator = view.pipeline.orchestrator
        var parties: [String] = []
        for event in view.state.events where !parties.contains(event.predicate.party) {
            parties.append(event.predicate.party)
        }
        if !parties.contains(orchestrator) { parties.append(orchestrator) }
        let lanes = parties.map {
            Lane(id: $0, name: names.name(of: $0), caption: $0 == orchestrator ? "orchestrator" : nil)
        }
        let marks = view.state.events.map { event in
            let predicate = event.predicate
            let quorum = (view.pipeline.step(predicate.step)?.authority.signers?.required ?? 1) > 1
            return Mark(
                lane: predicate.party,
                time: event.time,
                decision: predicate.decision,
                label: predicate.step,
                details: Self.details(of: event, names: names, signingKey: signingKeys[event.index]),
                group: quorum && predicate.decision == .approve ? predicate.step : nil
            )
        }
        self.init(title: "Timeline of case \(view.state.caseID)", lanes: lanes, marks: marks)
    }

    /// The hover text of an entry: index and time, who decided what, note, documents, key (the
    /// one that signed, else the one the signature names).
    static func details(of event: CaseEvent, names: PartyNames, signingKey: String?) -> String {
        let predicate = event.predicate
        var lines = [
            "Entry \(event.index) at \(Timestamp.format(event.time))"
                + (event.time == predicate.signedAt ? "" : " (signed at \(Timestamp.format(predicate.signedAt)))"),
            "\(names.label(predicate.party)): \(predicate.decision.rawValue) \(predicate.step)",
        ]
        if let note = predicate.note { lines.append("Note: \(note)") }
        let documents = event.statement.attachments.map(\.name)
        if !documents.isEmpty { lines.append("Attaches: \(documents.joined(separator: ", "))") }
        lines.append("Key " + ((signingKey ?? event.envelope.signatures[0].keyID).map { "\($0.prefix(16))…" } ?? "—"))
        return lines.joined(separator: "\n")
    }
}
