/// The spelling allowed for one kind of id in party and pipeline files, and how to say it to a user.
///
/// Pipeline ids follow FORMATS.md (`[a-z0-9-]+`), party ids too (`[a-z0-9][a-z0-9-]{0,62}`, the
/// file name). Step ids use the party rule. Document names start with a letter, because each is
/// bound as the XPath variable `$name`, and an XPath name cannot start with a digit or `-`.
struct IdentifierRule: Sendable {
    /// What the id is, for messages: "step id".
    let noun: String
    /// Whether the first character may be a digit (`-` never is, except for pipeline ids).
    let firstMayBeDigit: Bool
    /// Whether the first character may be `-`.
    let firstMayBeHyphen: Bool
    let maximumLength: Int?

    static let pipeline = IdentifierRule(
        noun: "pipeline id",
        firstMayBeDigit: true,
        firstMayBeHyphen: true,
        maximumLength: nil
    )
    static let party = IdentifierRule(
        noun: "party id",
        firstMayBeDigit: true,
        firstMayBeHyphen: false,
        maximumLength: 63
    )
    static let step = IdentifierRule(noun: "step id", firstMayBeDigit: true, firstMayBeHyphen: false, maximumLength: 63)
    static let document = IdentifierRule(
        noun: "document name",
        firstMayBeDigit: false,
        firstMayBeHyphen: false,
        maximumLength: 63
    )

    /// Whether `text` is a well-formed id of this kind.
    func accepts(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count <= maximumLength ?? Int.max else { return false }
        let isLetter = { (byte: UInt8) in (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        let firstAllowed =
            isLetter(first) || (firstMayBeDigit && isDigit(first)) || (firstMayBeHyphen && first == UInt8(ascii: "-"))
        return firstAllowed && bytes.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") }
    }

    /// The message for an id that does not follow the rule.
    func problem(with text: String) -> String {
        var rule = "use lowercase letters, digits and '-'"
        switch (firstMayBeDigit, firstMayBeHyphen) {
        case (true, true): break
        case (true, false): rule += ", starting with a letter or digit"
        default: rule += ", starting with a letter"
        }
        if let maximumLength { rule += ", at most \(maximumLength) characters" }
        return "invalid \(noun) '\(text)': \(rule)"
    }
}
