/// A manual page, rendered as roff with the man(7) macros that `man`, groff and mandoc all read.
///
/// Text is given as plain strings and spans, never as roff: rendering escapes backslashes, dashes
/// (`\-`, so an option copied from the page is typed with ASCII hyphens) and a `.` or `'` that
/// would start a line, so no text can inject a request.
public struct ManPage: Sendable, Equatable {
    /// Part of a line of text, in one typeface.
    public enum Span: Sendable, Equatable {
        case plain(String)
        /// What is typed as shown: commands, options, file names.
        case bold(String)
        /// What the reader replaces: `FILE`, `PARTY`.
        case italic(String)
    }

    /// One block of a section.
    public enum Block: Sendable, Equatable {
        /// A filled paragraph (runs of white space become one space).
        case paragraph([Span])
        /// A term and its description, the term on its own line (`.TP`).
        case item(term: [Span], description: [Span])
        /// Lines shown as they are, in a fixed-width font (an example, a file).
        case example(String)
    }

    /// A titled section (`NAME`, `OPTIONS`, ...).
    public struct Section: Sendable, Equatable {
        public var title: String
        public var blocks: [Block]

        public init(_ title: String, _ blocks: [Block]) {
            self.title = title
            self.blocks = blocks
        }
    }

    /// The footer and header every page of one manual shares.
    public struct Header: Sendable, Equatable {
        /// `YYYY-MM-DD`: when the pages were made (the build's source date, for reproducible files).
        public var date: String
        /// The product and its version: `Countersign 0.1.0`.
        public var source: String
        /// The manual's title: `Countersign Manual`.
        public var manual: String

        public init(date: String, source: String, manual: String) {
            self.date = date
            self.source = source
            self.manual = manual
        }
    }

    /// The page's name: `countersign-sign`.
    public var name: String
    /// The manual section: `1` for commands, `5` for file formats.
    public var section: Int
    /// The one line of the NAME section, after the name.
    public var summary: String
    public var header: Header
    /// The sections after NAME, in order.
    public var sections: [Section]

    public init(name: String, section: Int, summary: String, header: Header, sections: [Section]) {
        self.name = name
        self.section = section
        self.summary = summary
        self.header = header
        self.sections = sections
    }

    /// The file the page is installed as, before compression: `countersign-sign.1`.
    public var fileName: String { "\(name).\(section)" }

    /// The page as roff.
    public var roff: String {
        var lines = [
            ".TH \(Self.quoted(name.uppercased())) \(section) \(Self.quoted(header.date)) "
                + "\(Self.quoted(header.source)) \(Self.quoted(header.manual))",
            ".nh",
            ".ad l",
            ".SH NAME",
            Self.safeStart(Self.escaped(name) + " \\- " + Self.escaped(summary)),
        ]
        for section in sections {
            lines.append(".SH " + Self.quoted(section.title))
            for (index, block) in section.blocks.enumerated() {
                lines += Self.lines(block, first: index == 0)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Splits `text` into spans, a `` `code` `` span becoming bold: how help text marks what is typed.
    public static func spans(_ text: String) -> [Span] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().compactMap { index, part in
            guard !part.isEmpty else { return nil }
            return index.isMultiple(of: 2) ? .plain(String(part)) : .bold(String(part))
        }
    }

    private static func lines(_ block: Block, first: Bool) -> [String] {
        switch block {
        case .paragraph(let spans):
            return (first ? [] : [".PP"]) + [line(spans)]
        case .item(let term, let description):
            return [".TP", line(term), line(description)]
        case .example(let text):
            let body = text.split(separator: "\n", omittingEmptySubsequences: false).map {
                safeStart(escaped(String($0)))
            }
            return (first ? [] : [".PP"]) + [".RS 4", ".nf"] + body + [".fi", ".RE"]
        }
    }

    /// One output line of filled text: white space collapsed, each span in its font.
    private static func line(_ spans: [Span]) -> String {
        let text = spans.map { span in
            switch span {
            case .plain(let text): escaped(text)
            case .bold(let text): "\\fB" + escaped(text) + "\\fR"
            case .italic(let text): "\\fI" + escaped(text) + "\\fR"
            }
        }
        .joined()
        return safeStart(text.split(whereSeparator: \.isWhitespace).joined(separator: " "))
    }

    /// `text` as roff text: backslashes and dashes escaped.
    static func escaped(_ text: String) -> String {
        text.replacing("\\", with: "\\e").replacing("-", with: "\\-")
    }

    /// `line` with a zero-width `\&` before a `.` or `'` that would make it a control line.
    private static func safeStart(_ line: String) -> String {
        line.hasPrefix(".") || line.hasPrefix("'") ? "\\&" + line : line
    }

    /// A macro argument, in double quotes (which roff cannot escape inside one: they become `''`).
    private static func quoted(_ text: String) -> String {
        "\"" + escaped(text).replacing("\"", with: "''") + "\""
    }
}
