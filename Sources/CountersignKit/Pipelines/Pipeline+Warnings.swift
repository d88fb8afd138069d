extension Pipeline {
    /// What loads but silently misbehaves, as warnings (`pipeline check`), in file order:
    ///
    /// - an XPath step that names an element or attribute its document's schema declares nowhere, or
    ///   only in a namespace (an unprefixed XPath name matches names in no namespace only), so the path
    ///   selects nothing in any valid document — unless a wildcard (`xs:any`, `xs:anyAttribute`) admits it;
    /// - a step that cannot become ready in turn: its `needs`, `if` or `require` read a document that
    ///   only steps after it produce, or it comes after such a step;
    /// - a step that both `needs` and `produces` a document.
    ///
    /// Conservative: each names something no case can get right, never a matter of taste.
    public func warnings() -> [Diagnostic] {
        var warnings = schemaWarnings() + readinessWarnings()
        for step in steps {
            for name in step.needs where step.produces.contains(name) {
                warnings.append(
                    Diagnostic(
                        "step '\(step.id)' both needs and produces document '\(name)': it is ready only once "
                            + "'\(name)' is attached, then must attach it again; drop one (a step that updates a "
                            + "document produces it, or is named in its 'revised-by')",
                        at: step.location,
                        severity: .warning
                    )
                )
            }
        }
        return warnings.sorted {
            ($0.location.line, $0.location.column, $0.message) < ($1.location.line, $1.location.column, $1.message)
        }
    }

    /// Every expression of the pipeline, with what reads it.
    private var expressions: [PipelineExpression] {
        steps.flatMap { $0.requirements + ($0.condition.map { [$0] } ?? []) } + (expiry?.key.map { [$0] } ?? [])
    }

    private func schemaWarnings() -> [Diagnostic] {
        var vocabularies: [String: SchemaVocabulary] = [:]
        for document in documents {
            guard let path = document.schemaPath else { continue }
            var reached: [String: [UInt8]] = [:]
            guard (try? PipelineFiles.collect(schema: path, from: .files(files.schemas), into: &reached)) != nil,
                let vocabulary = try? SchemaVocabulary(files: reached)
            else { continue }
            vocabularies[document.name] = vocabulary
        }
        var warnings: [Diagnostic] = []
        for expression in expressions {
            for step in XPathScanner.nameSteps(in: expression.source) {
                guard let vocabulary = vocabularies[step.document],
                    let schema = document(step.document)?.schemaPath
                else { continue }
                let kind: SchemaVocabulary.Kind = step.isAttribute ? .attribute : .element
                guard !vocabulary.open.contains(kind) else { continue }
                let declared = vocabulary.declarations(kind, named: step.name)
                guard !declared.contains(where: { $0.namespace == nil }) else { continue }
                let what = step.isAttribute ? "attribute" : "element"
                let message: String
                if let namespace = declared.compactMap(\.namespace).sorted().first {
                    let test = step.isAttribute ? "@*" : "*"
                    message =
                        "XPath step '\(step.name)' of $\(step.document) matches nothing: \(schema) declares \(what) "
                        + "'\(step.name)' only in namespace \(namespace), and a name without prefix matches names in "
                        + "no namespace; write \(test)[local-name()='\(step.name)']"
                } else {
                    message = Suggestion.message(
                        "XPath step '\(step.name)' of $\(step.document) matches nothing: \(schema) declares no "
                            + "\(what) '\(step.name)'",
                        for: step.name,
                        in: vocabulary.localNames(kind)
                    )
                }
                warnings.append(
                    Diagnostic(message, at: expression.location(ofCharacter: step.offset), severity: .warning)
                )
            }
        }
        return warnings
    }

    /// Steps that cannot become ready in turn (see `warnings()`), each reported once, at the step.
    private func readinessWarnings() -> [Diagnostic] {
        let ancestors = ancestorsByStep
        var blocked: [String: String] = [:]  // step id -> why
        var warnings: [Diagnostic] = []
        for step in steps {
            let reads: [(what: String, names: [String])] = [
                ("needs", step.needs),
                ("'if' reads", step.condition?.documentNames ?? []),
                ("'require' reads", step.requirements.flatMap(\.documentNames).filter { !step.produces.contains($0) }),
            ]
            for (what, names) in reads {
                for name in Set(names).sorted() where blocked[step.id] == nil {
                    let producers = steps.filter { $0.id != step.id && $0.produces.contains(name) }
                    guard !producers.isEmpty,
                        producers.allSatisfy({ ancestors[$0.id, default: []].contains(step.id) })
                    else { continue }
                    let list = producers.map { "'\($0.id)'" }.joined(separator: ", ")
                    blocked[step.id] = name
                    warnings.append(
                        Diagnostic(
                            "step '\(step.id)' cannot become ready in turn: it \(what) document '\(name)', which only "
                                + "\(list) produce\(producers.count == 1 ? "s" : ""), after it; it waits until "
                                + "'\(name)' is attached out of turn",
                            at: step.location,
                            severity: .warning
                        )
                    )
                }
            }
        }
        for step in steps where blocked[step.id] == nil {
            guard
                let root = steps.first(where: { blocked[$0.id] != nil && ancestors[step.id]?.contains($0.id) == true })
            else { continue }
            warnings.append(
                Diagnostic(
                    "step '\(step.id)' cannot become ready in turn: it comes after step '\(root.id)', which cannot",
                    at: step.location,
                    severity: .warning
                )
            )
        }
        return warnings
    }

    /// Each step's transitive `after`: every step that must be finished before it.
    private var ancestorsByStep: [String: Set<String>] {
        var ancestors: [String: Set<String>] = [:]
        for step in dependencyOrder {
            ancestors[step.id] = step.after.reduce(into: Set(step.after)) { $0.formUnion(ancestors[$1, default: []]) }
        }
        return ancestors
    }
}
