/// What a shell offers when the user presses TAB on an argument's value.
public enum CompletionKind: Sendable, Equatable {
    /// Nothing to offer: free text, a number.
    case none
    /// A file name.
    case file
    /// A folder name.
    case directory
    /// One of a fixed set of words.
    case list([String])
    /// Values only the program knows (the case ids of a ledger): the completion scripts run
    /// `PROGRAM __complete NAME -- WORDS...` with the words typed before the one being completed,
    /// and offer the lines it prints.
    case dynamic(String)

    /// The kind a value placeholder implies when the declaration names none: `DIR` a folder,
    /// `FILE` (or `…-FILE`, `XSD`) a file, `a|b` one of its words, anything else nothing.
    public static func implied(by valueName: String) -> CompletionKind {
        if valueName == "DIR" { return .directory }
        if valueName == "FILE" || valueName.hasSuffix("-FILE") || valueName == "XSD" { return .file }
        if valueName.contains("|") { return .list(valueName.split(separator: "|").map(String.init)) }
        return .none
    }
}
