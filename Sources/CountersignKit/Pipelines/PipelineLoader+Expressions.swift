extension PipelineLoader {
    /// A compiled XPath expression, kept with its location. A syntax error is reported at the
    /// column where libxml2 stopped, when the expression sits verbatim on one line of the file.
    mutating func expression(_ node: YAMLNode, for key: String) -> PipelineExpression? {
        guard let source = reader.text(node, for: key) else { return nil }
        guard source.contains(where: { !$0.isWhitespace }) else {
            reader.error("'\(key)' is empty: write an XPath expression", at: node.location)
            return nil
        }
        do {
            let xpath = try XPathExpression(source)
            expressions.append((key, node, xpath))
            return PipelineExpression(xpath: xpath, node: node)
        } catch {
            if case .xpathSyntax(_, let column, let message) = error {
                reader.error(
                    "XPath syntax error in '\(key)' at column \(column) of the expression: \(message)",
                    at: node.location(ofCharacter: column - 1)
                )
            } else {
                reader.error("invalid XPath in '\(key)': \(error)", at: node.location)
            }
            return nil
        }
    }

    /// Checks what compiling cannot: each `$name` must be a declared document (reported at its `$`)
    /// and each function an XPath 1.0 function (reported at its name). Then each expression is run
    /// once over empty documents, which catches a wrong argument count or type wherever evaluation
    /// reaches (`and` and `or` stop early), as XPath 1.0 fails on those whatever the documents hold.
    mutating func checkExpressions(documents: [String]) {
        let empty: XMLDocument
        do {
            empty = try XMLDocument(bytes: Array("<empty/>".utf8), source: "empty")
        } catch {
            preconditionFailure("libxml2 cannot parse <empty/>: \(error)")
        }
        let bound = Dictionary(uniqueKeysWithValues: documents.map { ($0, empty) })
        for (key, node, xpath) in expressions {
            let problems = reader.diagnostics.count
            for variable in XPathScanner.variables(in: xpath.source) where !documents.contains(variable.name) {
                let message =
                    "XPath in '\(key)' refers to $\(variable.name), but no document '\(variable.name)' is declared"
                reader.error(
                    Suggestion.message(message, for: variable.name, in: documents),
                    at: node.location(ofCharacter: variable.offset)
                )
            }
            for call in XPathScanner.functionCalls(in: xpath.source)
            where !XPathScanner.coreFunctions.contains(call.name) {
                reader.error(
                    Suggestion.message(
                        "XPath in '\(key)' calls \(call.name)(), which is not an XPath 1.0 function",
                        for: call.name,
                        in: XPathScanner.coreFunctions.sorted()
                    ),
                    at: node.location(ofCharacter: call.offset)
                )
            }
            guard reader.diagnostics.count == problems else { continue }
            do {
                _ = try xpath.evaluate(with: bound)
            } catch {
                if case .xpathEvaluation(_, let message) = error {
                    reader.error("XPath in '\(key)' cannot be evaluated: \(message)", at: node.location)
                } else {
                    reader.error("XPath in '\(key)': \(error)", at: node.location)
                }
            }
        }
    }
}
