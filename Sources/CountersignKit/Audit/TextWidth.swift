/// How wide a line of text is drawn, estimated from above, so a picture can place labels that never
/// overprint without a browser to measure them. The widths are DejaVu Sans's (the font the pages
/// fall back to, and among the widest sans-serif faces), rounded up per class of characters, so a
/// narrower face only leaves more room. Anything outside ASCII counts as a full em.
public enum TextWidth {
    /// Regular and bold advance widths, in ems, of a class of characters (the widest of the class).
    private static let classes: [(characters: String, regular: Double, bold: Double)] = [
        ("ijlIJ',.:;/\\|", 0.35, 0.41),
        ("frt-()[]! ", 0.42, 0.50),
        ("\"*_`?sczxyvkL", 0.60, 0.67),
        ("abdeghnopqu0123456789${}PTYSEF", 0.64, 0.74),
        ("ABCDGHKNOQRUVXZ&#+<=>^~", 0.84, 0.88),
        ("mwMW%@", 1.00, 1.11),
    ]

    private static let table: [Character: (regular: Double, bold: Double)] = {
        var table: [Character: (Double, Double)] = [:]
        for entry in classes {
            for character in entry.characters { table[character] = (entry.regular, entry.bold) }
        }
        return table
    }()

    /// The width of `text` in user units at `fontSize`, bold (weight 600 and up) or regular.
    public static func estimate(_ text: String, fontSize: Double, bold: Bool = false) -> Double {
        text.reduce(0) { width, character in
            let em = table[character].map { bold ? $0.bold : $0.regular } ?? (bold ? 1.11 : 1.0)
            return width + em * fontSize
        }
    }

    /// `text`, or its longest prefix that fits `width` with an ellipsis after it.
    public static func truncate(_ text: String, toFit width: Double, fontSize: Double, bold: Bool = false) -> String {
        guard estimate(text, fontSize: fontSize, bold: bold) > width else { return text }
        var prefix = Substring(text)
        while !prefix.isEmpty && estimate(prefix + "…", fontSize: fontSize, bold: bold) > width {
            prefix = prefix.dropLast()
        }
        return prefix.trimmingSuffixSpaces + "…"
    }

    /// `text` broken at spaces into at most `maxLines` lines that each fit `width`; the last line
    /// (or a single word too wide for one) is shortened with an ellipsis when the rest does not fit.
    public static func wrap(
        _ text: String,
        toFit width: Double,
        fontSize: Double,
        bold: Bool = false,
        maxLines: Int
    ) -> [String] {
        var lines: [String] = []
        var words = text.split(separator: " ").map(String.init)[...]
        while let first = words.first, lines.count < maxLines - 1 {
            var line = first
            words = words.dropFirst()
            while let next = words.first, estimate(line + " " + next, fontSize: fontSize, bold: bold) <= width {
                line += " " + next
                words = words.dropFirst()
            }
            lines.append(truncate(line, toFit: width, fontSize: fontSize, bold: bold))
        }
        if !words.isEmpty {
            lines.append(truncate(words.joined(separator: " "), toFit: width, fontSize: fontSize, bold: bold))
        }
        return lines
    }
}

extension Substring {
    fileprivate var trimmingSuffixSpaces: String {
        var text = self
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
