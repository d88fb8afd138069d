/// Reads the YAML nodes of a party or pipeline file into typed values, noting every problem as a
/// `Diagnostic` at the offending node instead of stopping at the first. Each reading function
/// returns `nil` when the node is unusable, after noting why.
struct DefinitionReader {
    /// A text value with the place it was written, kept while references are checked.
    struct Located: Hashable {
        var text: String
        var location: SourceLocation
    }

    private(set) var diagnostics: [Diagnostic] = []

    mutating func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(message, at: location))
    }

    /// The YAML document in `bytes`, or `nil` after noting its syntax error or emptiness.
    mutating func document(_ bytes: [UInt8], file: String) -> YAMLNode? {
        YAMLNode.parse(bytes, file: file, diagnostics: &diagnostics)
    }

    /// Every problem noted, in file order, as one error.
    var problems: Diagnostics {
        Diagnostics(
            diagnostics.sorted {
                ($0.location.file, $0.location.line, $0.location.column)
                    < ($1.location.file, $1.location.line, $1.location.column)
            }
        )
    }

    /// The entries of a mapping by key, after reporting unknown keys (with a suggestion) and
    /// missing required ones. `what` names the mapping in messages ("step 'valuation'").
    mutating func fields(
        of node: YAMLNode,
        _ what: String,
        required: [String],
        optional: [String]
    ) -> [String: YAMLNode.Entry]? {
        guard let entries = node.mapping else {
            error("\(what) must be a mapping of keys, not \(node.kindDescription)", at: node.location)
            return nil
        }
        let known = required + optional
        var fields: [String: YAMLNode.Entry] = [:]
        for entry in entries {
            guard known.contains(entry.key) else {
                error(
                    Suggestion.message("unknown key '\(entry.key)' in \(what)", for: entry.key, in: known),
                    at: entry.keyLocation
                )
                continue
            }
            fields[entry.key] = entry
        }
        for key in required where fields[key] == nil {
            error("missing key '\(key)' in \(what)", at: node.location)
        }
        return fields
    }

    /// Any non-null scalar, as text.
    mutating func text(_ node: YAMLNode, for key: String) -> String? {
        guard let text = node.scalar, !node.isNull else {
            error("'\(key)' must be text, not \(node.kindDescription)", at: node.location)
            return nil
        }
        return text
    }

    /// A text value that must follow an id rule.
    mutating func identifier(_ node: YAMLNode, _ rule: IdentifierRule, for key: String) -> Located? {
        guard let text = text(node, for: key) else { return nil }
        guard rule.accepts(text) else {
            error(rule.problem(with: text), at: node.location)
            return nil
        }
        return Located(text: text, location: node.location)
    }

    /// A list of ids, each once; a single id stands for a one-item list (`after: valuation`).
    mutating func identifiers(_ node: YAMLNode, _ rule: IdentifierRule, for key: String) -> [Located] {
        let items: [YAMLNode]
        switch node.content {
        case .sequence(let nodes): items = nodes
        case .scalar where !node.isNull: items = [node]
        default:
            error("'\(key)' must be a list of \(rule.noun)s, not \(node.kindDescription)", at: node.location)
            return []
        }
        var result: [Located] = []
        for item in items {
            guard let id = identifier(item, rule, for: key) else { continue }
            if result.contains(where: { $0.text == id.text }) {
                error("'\(id.text)' is listed twice in '\(key)'", at: id.location)
                continue
            }
            result.append(id)
        }
        return result
    }

    /// A plain `true` or `false`.
    mutating func boolean(_ node: YAMLNode, for key: String) -> Bool? {
        switch node.content {
        case .scalar("true", .plain): return true
        case .scalar("false", .plain): return false
        default:
            error("'\(key)' must be true or false, not \(node.kindDescription)", at: node.location)
            return nil
        }
    }

    /// A plain whole number written in decimal digits.
    mutating func integer(_ node: YAMLNode, for key: String) -> Int? {
        guard case .scalar(let text, .plain) = node.content, text.count <= 9, let value = Int(text),
            text.allSatisfy({ $0.isASCII && $0.isNumber })
        else {
            error("'\(key)' must be a whole number, not \(node.kindDescription)", at: node.location)
            return nil
        }
        return value
    }

    /// One of a fixed set of words, with a suggestion for a misspelling.
    mutating func choice(_ node: YAMLNode, of choices: [String], for key: String) -> String? {
        guard let text = text(node, for: key) else { return nil }
        guard choices.contains(text) else {
            let list = choices.map { "'\($0)'" }.joined(separator: " or ")
            error(
                Suggestion.message("'\(key)' must be \(list), not '\(text)'", for: text, in: choices),
                at: node.location
            )
            return nil
        }
        return text
    }

    /// A duration (`PipelineDuration`).
    mutating func duration(_ node: YAMLNode, for key: String) -> PipelineDuration? {
        guard let text = text(node, for: key) else { return nil }
        guard let duration = PipelineDuration(text) else {
            error(
                "invalid duration '\(text)' for '\(key)': write Nd, Nh, Nm (minutes) or ISO 8601 such as P1Y, P6M, "
                    + "P30D, PT12H (whole numbers, longer than zero)",
                at: node.location
            )
            return nil
        }
        return duration
    }
}
