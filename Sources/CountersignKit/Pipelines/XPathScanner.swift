/// Finds the variable references (`$name`) and function calls (`name(`) of an XPath 1.0 expression,
/// with their character offsets, for the checks compiling cannot make: every variable must be a
/// declared document, every function one of XPath 1.0's (libxml2 looks functions up only when an
/// expression runs). Outside string literals the lexical rules of XPath 1.0 §3.7 make this exact: `$`
/// always starts a variable reference, and a name followed by `(` is a function name unless it is
/// a node type (`node`, `text`, `comment`, `processing-instruction`) or an operator (`and`, `or`,
/// `mod`, `div`).
enum XPathScanner {
    /// A name found in an expression and the offset (in Unicode scalars) where it starts.
    struct Name: Equatable {
        var name: String
        var offset: Int
    }

    /// The functions of the XPath 1.0 core library (XPath 1.0 §4).
    static let coreFunctions: Set<String> = [
        "last", "position", "count", "id", "local-name", "namespace-uri", "name", "string", "concat",
        "starts-with", "contains", "substring-before", "substring-after", "substring", "string-length",
        "normalize-space", "translate", "boolean", "not", "true", "false", "lang", "number", "sum", "floor",
        "ceiling", "round",
    ]

    private static let notFunctions: Set<String> = [
        "node", "text", "comment", "processing-instruction", "and", "or", "mod", "div",
    ]

    /// Each `$name` outside string literals, in order; the offset is that of the `$`.
    static func variables(in source: String) -> [Name] {
        scan(source).variables
    }

    /// Each function called outside string literals, in order; the offset is that of the name.
    static func functionCalls(in source: String) -> [Name] {
        scan(source).functions
    }

    /// A name test in a location path that starts at a `$document`: the element or attribute name a
    /// step looks for, and its offset.
    struct NameStep: Equatable {
        var document: String
        var name: String
        var isAttribute: Bool
        var offset: Int
    }

    /// The unprefixed name tests of every path `$document/step/step…` (`/` or `//` between steps, each
    /// step with any predicates), outside string literals, in order. Steps are read as far as they are
    /// plain: `@name`, `name`, `axis::name`; `*`, `.`, `..` and node tests (`text()`) are passed over, a
    /// prefixed name ends the path (no prefixes are bound, so evaluation fails on it anyway), and names
    /// inside predicates are not read. Names of the `namespace` axis are not element names and are left
    /// out.
    static func nameSteps(in source: String) -> [NameStep] {
        let characters = Array(source.unicodeScalars)
        var steps: [NameStep] = []
        for variable in variables(in: source) {
            var index = variable.offset + 1 + variable.name.unicodeScalars.count
            func skipSpace() {
                while index < characters.count, characters[index].properties.isWhitespace { index += 1 }
            }
            func at(_ character: Unicode.Scalar) -> Bool {
                index < characters.count && characters[index] == character
            }
            path: while true {
                skipSpace()
                guard at("/") else { break }
                index += 1
                if at("/") { index += 1 }
                skipSpace()
                var isAttribute = false
                var isNamespaceAxis = false
                if at("@") {
                    isAttribute = true
                    index += 1
                    skipSpace()
                }
                if at(".") {
                    index += 1
                    if at(".") { index += 1 }
                } else if at("*") {
                    index += 1
                } else {
                    guard index < characters.count, isNameStart(characters[index]) else { break }
                    var start = index
                    var end = ncNameEnd(characters, from: index)
                    index = end
                    skipSpace()
                    if at(":"), index + 1 < characters.count, characters[index + 1] == ":" {
                        let axis = text(characters[start..<end])
                        isAttribute = axis == "attribute"
                        isNamespaceAxis = axis == "namespace"
                        index += 2
                        skipSpace()
                        if at("*") {
                            index += 1
                            start = index
                            end = index
                        } else {
                            guard index < characters.count, isNameStart(characters[index]) else { break }
                            start = index
                            end = ncNameEnd(characters, from: index)
                            index = end
                            skipSpace()
                        }
                    }
                    if at(":") { break path }  // a prefixed name or `prefix:*`
                    if at("(") {
                        guard skipBracketed(characters, from: &index, open: "(", close: ")") else { break }
                    } else if end > start, !isNamespaceAxis {
                        let name = text(characters[start..<end])
                        steps.append(
                            NameStep(document: variable.name, name: name, isAttribute: isAttribute, offset: start)
                        )
                    }
                }
                skipSpace()
                while at("[") {
                    guard skipBracketed(characters, from: &index, open: "[", close: "]") else { break path }
                    skipSpace()
                }
            }
        }
        return steps
    }

    /// Moves `index` past the balanced `open`…`close` group starting there (string literals inside
    /// skipped whole); false when it never closes.
    private static func skipBracketed(
        _ characters: [Unicode.Scalar],
        from index: inout Int,
        open: Unicode.Scalar,
        close: Unicode.Scalar
    ) -> Bool {
        var depth = 0
        while index < characters.count {
            let character = characters[index]
            if character == "\"" || character == "'" {
                index = (characters[(index + 1)...].firstIndex(of: character) ?? characters.count) + 1
                continue
            }
            index += 1
            if character == open { depth += 1 }
            if character == close {
                depth -= 1
                if depth == 0 { return true }
            }
        }
        return false
    }

    private static func scan(_ source: String) -> (variables: [Name], functions: [Name]) {
        let characters = Array(source.unicodeScalars)
        var variables: [Name] = []
        var functions: [Name] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "\"" || character == "'" {
                index = (characters[(index + 1)...].firstIndex(of: character) ?? characters.count) + 1
            } else if character == "$" {
                let end = nameEnd(characters, from: index + 1)
                variables.append(Name(name: text(characters[(index + 1)..<end]), offset: index))
                index = max(end, index + 1)
            } else if isNameStart(character) {
                let end = nameEnd(characters, from: index)
                let name = text(characters[index..<end])
                var next = end
                while next < characters.count, characters[next].properties.isWhitespace { next += 1 }
                if next < characters.count, characters[next] == "(", !notFunctions.contains(name) {
                    functions.append(Name(name: name, offset: index))
                }
                index = end
            } else if character.properties.numericType != nil {
                while index < characters.count,
                    characters[index].properties.numericType != nil || characters[index] == "."
                {
                    index += 1
                }
            } else {
                index += 1
            }
        }
        return (variables, functions)
    }

    /// The end of a QName starting at `start`: an NCName, optionally `:` and another NCName (but not
    /// the `::` of an axis).
    private static func nameEnd(_ characters: [Unicode.Scalar], from start: Int) -> Int {
        var end = ncNameEnd(characters, from: start)
        if end > start, end + 1 < characters.count, characters[end] == ":", isNameStart(characters[end + 1]) {
            end = ncNameEnd(characters, from: end + 1)
        }
        return end
    }

    private static func ncNameEnd(_ characters: [Unicode.Scalar], from start: Int) -> Int {
        guard start < characters.count, isNameStart(characters[start]) else { return start }
        var end = start + 1
        while end < characters.count, isNameStart(characters[end]) || isNameRest(characters[end]) { end += 1 }
        return end
    }

    private static func isNameStart(_ character: Unicode.Scalar) -> Bool {
        character.properties.isAlphabetic || character == "_"
    }

    private static func isNameRest(_ character: Unicode.Scalar) -> Bool {
        character.properties.numericType != nil || character == "-" || character == "."
    }

    private static func text(_ characters: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: characters)
        return String(view)
    }
}
