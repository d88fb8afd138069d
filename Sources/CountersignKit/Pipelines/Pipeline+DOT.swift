extension Pipeline {
    /// The step graph in Graphviz DOT (`pipeline show --dot`): a node per step labelled with who
    /// signs it (dashed when conditional, an ellipse when automatic), an `open` node, and an edge
    /// from each step to every step that names it in `after` (from `open` to steps with no `after`).
    public var dot: String {
        var lines = [
            "digraph \(Self.quoted(id)) {",
            "    label=\(Self.quoted(title));",
            "    labelloc=t;",
            "    rankdir=LR;",
            "    node [shape=box, style=rounded];",
            "    \(Self.quoted("open")) [shape=circle, label=\"open\"];",
        ]
        for step in steps {
            var label = [step.id, step.authority.description]
            if let condition = step.condition { label.append("if \(condition.source)") }
            if let due = step.due { label.append("due \(due)") }
            var attributes = ["label=\(Self.quoted(label.joined(separator: "\n")))"]
            if step.isAutomatic { attributes.append("shape=ellipse") }
            if step.condition != nil { attributes.append("style=\"rounded,dashed\"") }
            lines.append("    \(Self.quoted(step.id)) [\(attributes.joined(separator: ", "))];")
        }
        for step in steps {
            for dependency in step.after.isEmpty ? ["open"] : step.after {
                lines.append("    \(Self.quoted(dependency)) -> \(Self.quoted(step.id));")
            }
        }
        return (lines + ["}"]).joined(separator: "\n") + "\n"
    }

    /// A DOT double-quoted string: `"` and `\` escaped, a line break as `\n`.
    private static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result + "\""
    }
}
