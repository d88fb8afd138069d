import CountersignKit
import Testing

@Suite("YAML through libyaml")
struct YAMLNodeTests {
    static func parse(_ text: String) throws(Diagnostics) -> YAMLNode {
        try YAMLNode.parse(Array(text.utf8), file: "f.yaml")
    }

    static func problems(_ text: String) -> [String] {
        do {
            _ = try parse(text)
            return []
        } catch {
            return error.all.map(\.description)
        }
    }

    @Test("nodes and mapping keys carry 1-based lines and columns")
    func locations() throws {
        let root = try Self.parse(
            """
            title: Demo
            steps:
              - id: review
                by: { any: [bank, lawyer] }
            """
        )
        let entries = try #require(root.mapping)
        #expect(entries.map(\.key) == ["title", "steps"])
        #expect(entries[1].keyLocation == SourceLocation(file: "f.yaml", line: 2, column: 1))
        #expect(root["title"]?.location == SourceLocation(file: "f.yaml", line: 1, column: 8))
        let steps = try #require(root["steps"])
        #expect(steps.location.line == 3 && steps.location.column == 3)
        let step = try #require(steps.sequence?.first)
        #expect(step.mapping?.first?.keyLocation == SourceLocation(file: "f.yaml", line: 3, column: 5))
        let lawyer = try #require(step["by"]?["any"]?.sequence?.last)
        #expect(lawyer.scalar == "lawyer")
        #expect(lawyer.location == SourceLocation(file: "f.yaml", line: 4, column: 23))
        #expect(lawyer.end == SourceLocation(file: "f.yaml", line: 4, column: 29))
    }

    @Test("scalars keep their style, so a plain true differs from a quoted one")
    func scalarStyles() throws {
        let root = try Self.parse("a: true\nb: \"true\"\nc: 'x'\nd: |\n  text\ne:\n")
        #expect(root["a"]?.content == .scalar("true", .plain))
        #expect(root["b"]?.content == .scalar("true", .doubleQuoted))
        #expect(root["c"]?.content == .scalar("x", .singleQuoted))
        #expect(root["d"]?.content == .scalar("text\n", .literal))
        #expect(root["e"]?.isNull == true)
        #expect(root["b"]?.isNull == false)
    }

    @Test("a character offset in a one-line scalar maps to its column, quotes included")
    func characterOffsets() throws {
        let root = try Self.parse("if: \"count($a) > 1\"\nplain: count($a) >\nlong: \"a\\tb\"\n")
        #expect(root["if"]?.location(ofCharacter: 6) == SourceLocation(file: "f.yaml", line: 1, column: 12))
        #expect(root["plain"]?.location(ofCharacter: 6) == SourceLocation(file: "f.yaml", line: 2, column: 14))
        // An escape makes the text differ from the source: the scalar's start is the best place.
        #expect(root["long"]?.location(ofCharacter: 2) == SourceLocation(file: "f.yaml", line: 3, column: 7))
    }

    @Test("a syntax error carries libyaml's mark, 1-based")
    func syntaxError() {
        #expect(
            Self.problems("a: [1, 2\nb: 3\n") == [
                "f.yaml:2:2: error: invalid YAML: did not find expected ',' or ']' "
                    + "(while parsing a flow sequence at line 1, column 4)"
            ]
        )
    }

    @Test("invalid UTF-8 is reported at its line and column")
    func badEncoding() {
        let bytes: [UInt8] = Array("a: 1\nb: x".utf8) + [0xFF] + Array("\n".utf8)
        let error = #expect(throws: Diagnostics.self) { try YAMLNode.parse(bytes, file: "f.yaml") }
        #expect(error?.all.first?.location == SourceLocation(file: "f.yaml", line: 2, column: 5))
    }

    @Test("duplicate keys are errors at the second key")
    func duplicateKeys() {
        #expect(
            Self.problems("a: 1\nb: 2\na: 3\n") == ["f.yaml:3:1: error: duplicate key 'a' (first at line 1, column 1)"]
        )
    }

    @Test("anchors, aliases and tags are refused, so no alias can expand")
    func anchorsAndAliases() {
        #expect(
            Self.problems("a: &x [1, 2]\nb: *x\nc: !!str 3\n") == [
                "f.yaml:1:4: error: YAML anchors (&x) are not supported; write the value out",
                "f.yaml:2:4: error: YAML aliases (*x) are not supported; write the value out",
                "f.yaml:3:4: error: YAML tags (tag:yaml.org,2002:str) are not supported; remove the tag",
            ]
        )
        let laughs = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n"
        #expect(Self.problems(laughs).count == 9)
    }

    @Test("one document per file; empty files and deep nesting are refused")
    func documents() {
        #expect(
            Self.problems("a: 1\n---\nb: 2\n") == [
                "f.yaml:2:1: error: a file holds one YAML document; remove this '---'"
            ]
        )
        #expect(Self.problems("# only a comment\n") == ["f.yaml:1:1: error: the file is empty"])
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(Self.problems(deep) == ["f.yaml:1:66: error: YAML nested more than 64 levels deep"])
    }

    @Test("a non-text mapping key is refused")
    func complexKey() {
        #expect(Self.problems("? [a, b]\n: 1\n") == ["f.yaml:1:3: error: a mapping key must be text, not a list"])
    }
}
