extension PipelineLoader {
    static let stepKeys = ["id", "by", "auto", "after", "needs", "produces", "require", "if", "due", "on-reject"]
    /// Step ids the ledger uses for the entries that open and expire a case (FORMATS.md §4).
    static let reservedStepIDs = StepPredicate.reservedSteps

    /// The steps under `steps:`, in file order; each step id is noted for the reference checks
    /// even when the rest of its step is invalid, so one mistake is reported once.
    mutating func steps(_ entry: YAMLNode.Entry) -> [Step] {
        guard let items = entry.value.sequence else {
            reader.error(
                "'steps' must be a list of steps, not \(entry.value.kindDescription)",
                at: entry.value.location
            )
            return []
        }
        if items.isEmpty {
            reader.error("'steps' must list at least one step", at: entry.value.location)
        }
        return items.enumerated().compactMap { step($1, number: $0 + 1) }
    }

    private mutating func step(_ node: YAMLNode, number: Int) -> Step? {
        let name = node["id"]?.scalar.map { "step '\($0)'" } ?? "step \(number)"
        guard
            let fields = reader.fields(of: node, name, required: ["id"], optional: Array(Self.stepKeys.dropFirst()))
        else { return nil }
        let id = fields["id"].flatMap { declareStep($0.value) }
        let authority = self.authority(fields, of: node, name)
        let after = fields["after"].map { reader.identifiers($0.value, .step, for: "after") } ?? []
        if let id { dependencies[id.text] = after }
        references += after.map { (.step, $0) }
        let needs = fields["needs"].map { reader.identifiers($0.value, .document, for: "needs") } ?? []
        let produces = fields["produces"].map { reader.identifiers($0.value, .document, for: "produces") } ?? []
        references += (needs + produces).map { (.document, $0) }
        if authority == .automatic, let entry = fields["produces"] {
            reader.error(
                "an automatic step cannot produce documents: nobody signs it to attach them",
                at: entry.keyLocation
            )
        }
        let requirements = fields["require"].map { self.requirements($0.value) } ?? []
        let condition = fields["if"].flatMap { expression($0.value, for: "if") }
        let due = fields["due"].flatMap { reader.duration($0.value, for: "due") }
        let onReject = fields["on-reject"].flatMap {
            reader.choice($0.value, of: ["end", "continue", "quorum"], for: "on-reject").flatMap(Step.RejectPolicy.init)
        }
        guard let id, let authority else { return nil }
        return Step(
            id: id.text,
            location: node.location,
            authority: authority,
            after: after.map(\.text),
            needs: needs.map(\.text),
            produces: produces.map(\.text),
            requirements: requirements,
            condition: condition,
            due: due,
            onReject: onReject ?? .end
        )
    }

    /// Reads a step id, refusing reserved and repeated ids, and notes it as declared.
    private mutating func declareStep(_ node: YAMLNode) -> DefinitionReader.Located? {
        guard let id = reader.identifier(node, .step, for: "id") else { return nil }
        if Self.reservedStepIDs.contains(id.text) {
            reader.error(
                "step id '\(id.text)' is reserved for the ledger's own entries; choose another",
                at: id.location
            )
            return nil
        }
        if let first = declaredSteps.first(where: { $0.text == id.text }) {
            reader.error(
                "duplicate step id '\(id.text)' (first at line \(first.location.line), column \(first.location.column))",
                at: id.location
            )
            return nil
        }
        declaredSteps.append(id)
        return id
    }

    /// `auto: true`, or the signers of `by`; exactly one of them.
    private mutating func authority(
        _ fields: [String: YAMLNode.Entry],
        of node: YAMLNode,
        _ name: String
    ) -> StepAuthority? {
        let automatic = fields["auto"].flatMap { reader.boolean($0.value, for: "auto") }
        let signers = fields["by"].flatMap { self.signers($0.value) }
        switch (automatic, fields["by"]) {
        case (true?, let by?):
            reader.error(
                "\(name) has both 'auto: true' and 'by': an automatic step is signed by the orchestrator; remove one",
                at: by.keyLocation
            )
            return nil
        case (true?, nil): return .automatic
        case (_, _?): return signers.map(StepAuthority.signers)
        case (nil, nil) where fields["auto"] != nil: return nil
        case (_, nil):
            reader.error("\(name) needs 'by' (who signs it) or 'auto: true'", at: node.location)
            return nil
        }
    }

    private static let signersForms = "a party id, {any: [...]}, {all: [...]} or {quorum: k, of: [...]}"

    /// `by: party`, `{any: [...]}`, `{all: [...]}` or `{quorum: k, of: [...]}`.
    private mutating func signers(_ node: YAMLNode) -> Signers? {
        if node.scalar != nil, !node.isNull {
            guard let party = reader.identifier(node, .party, for: "by") else { return nil }
            references.append((.party, party))
            return Signers(parties: [party.text], rule: .one)
        }
        guard node.mapping != nil else {
            reader.error("'by' must be \(Self.signersForms), not \(node.kindDescription)", at: node.location)
            return nil
        }
        guard let fields = reader.fields(of: node, "'by'", required: [], optional: ["any", "all", "quorum", "of"])
        else { return nil }
        switch Set(fields.keys) {
        case ["any"]: return parties(fields["any"]!).map { Signers(parties: $0, rule: .any) }
        case ["all"]: return parties(fields["all"]!).map { Signers(parties: $0, rule: .all) }
        case ["quorum", "of"]:
            let quorum = fields["quorum"]!.value
            guard let parties = parties(fields["of"]!), let count = reader.integer(quorum, for: "quorum") else {
                return nil
            }
            guard (1...parties.count).contains(count) else {
                let listed = parties.count == 1 ? "the 1 party" : "the \(parties.count) parties"
                let problem = count < 1 ? "must be at least 1" : "is more than \(listed) listed in 'of'"
                reader.error("quorum \(count) \(problem)", at: quorum.location)
                return nil
            }
            return Signers(parties: parties, rule: .quorum(count))
        case ["quorum"]:
            reader.error("missing key 'of' in 'by': the parties the quorum is counted among", at: node.location)
        case ["of"]:
            reader.error("missing key 'quorum' in 'by': how many of 'of' must sign", at: node.location)
        case [] where node.mapping?.isEmpty == false:
            break
        default:
            reader.error("'by' must be \(Self.signersForms)", at: node.location)
        }
        return nil
    }

    /// The party list of `any`, `all` or `of`: at least one party, each once.
    private mutating func parties(_ entry: YAMLNode.Entry) -> [String]? {
        let parties = reader.identifiers(entry.value, .party, for: entry.key)
        references += parties.map { (.party, $0) }
        if entry.value.sequence?.isEmpty == true {
            reader.error("'\(entry.key)' must list at least one party", at: entry.value.location)
        }
        return parties.isEmpty ? nil : parties.map(\.text)
    }

    /// `require:` as a list of expressions, or a single one.
    private mutating func requirements(_ node: YAMLNode) -> [PipelineExpression] {
        guard let items = node.sequence else {
            return expression(node, for: "require").map { [$0] } ?? []
        }
        return items.compactMap { expression($0, for: "require") }
    }
}
