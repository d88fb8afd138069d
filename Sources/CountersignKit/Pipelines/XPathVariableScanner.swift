/// Finds the variable references (`$name`) in an XPath 1.0 expression, with their offsets, so a
/// pipeline can be checked for expressions naming documents it does not declare. In XPath 1.0 a `$`
/// outside a string literal always starts a variable reference, so a scan is exact.
enum XPathVariableScanner {
    /// Each `$name` outside string literals, in order, with the character offset of its `$`.
    static func variables(in source: String) -> [(name: String, offset: Int)] {
        let characters = Array(source.unicodeScalars)
        var found: [(name: String, offset: Int)] = []
        var index = 0
        var quote: Unicode.Scalar?
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                if character == open { quote = nil }
                index += 1
                continue
            }
            switch character {
            case "\"", "'":
                quote = character
                index += 1
            case "$":
                var end = index + 1
                while end < characters.count, isNameCharacter(characters[end]) { end += 1 }
                var name = String.UnicodeScalarView()
                name.append(contentsOf: characters[(index + 1)..<end])
                found.append((String(name), index))
                index = end
            default:
                index += 1
            }
        }
        return found
    }

    /// NCName characters plus `:` (a prefixed name, which can never name a document).
    private static func isNameCharacter(_ character: Unicode.Scalar) -> Bool {
        character.properties.isAlphabetic || character.properties.numericType != nil
            || ["-", "_", ".", ":"].contains(character)
    }
}
