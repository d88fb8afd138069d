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
