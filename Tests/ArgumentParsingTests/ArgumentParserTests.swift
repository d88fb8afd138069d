import ArgumentParsing
import Testing

@Suite("Argument parser")
struct ArgumentParserTests {
    static let sign = CommandSpec(
        "sign",
        abstract: "Sign a step.",
        arguments: [
            .positional("CASE", help: "the case"),
            .positional("STEP", help: "the step"),
            .option("as", value: "PARTY", help: "who signs"),
            .option("key", value: "FILE", environment: "COUNTERSIGN_KEY", help: "the key"),
            .option("doc", value: "NAME=FILE", repeating: true, help: "a document"),
            .flag("reject", help: "refuse"),
        ]
    )
    static let proof = CommandSpec(
        "log proof",
        abstract: "A proof.",
        arguments: [.positional("INDEX", help: "index"), .option("size", value: "N", help: "size")]
    )
    static let verify = CommandSpec("log verify", abstract: "Verify.")
    static let check = CommandSpec(
        "pipeline check",
        abstract: "Check.",
        arguments: [.positionals("FILE", help: "files")]
    )
    static let parser = ArgumentParser(
        programName: "countersign",
        commands: [sign, proof, verify, check],
        globals: [
            .option("workspace", value: "DIR", environment: "COUNTERSIGN_WORKSPACE", help: "workspace"),
            .flag("json", help: "json"),
            .flag("quiet", short: "q", help: "quiet"),
        ]
    )

    func run(_ line: [String], environment: [String: String] = [:]) throws -> (ParsedArguments, ParsedArguments) {
        guard case .run(_, let arguments, let globals) = try Self.parser.parse(line, environment: environment) else {
            Issue.record("expected a command to run")
            throw UsageError("not a run", command: nil)
        }
        return (arguments, globals)
    }

    @Test("options, flags and positionals may come in any order after the command")
    func anyOrder() throws {
        let (arguments, globals) = try run([
            "--workspace", "w", "sign", "--as", "bank", "C-1", "--doc", "a=x.xml", "--json", "credit-check",
            "--doc=b=y.xml", "--reject", "-q",
        ])
        #expect(arguments.value("CASE") == "C-1")
        #expect(arguments.value("STEP") == "credit-check")
        #expect(arguments.value("as") == "bank")
        #expect(arguments.values("doc") == ["a=x.xml", "b=y.xml"])
        #expect(arguments.flag("reject"))
        #expect(globals.value("workspace") == "w")
        #expect(globals.flag("json") && globals.flag("quiet"))
    }

    @Test("the longest declared command path wins, and trailing words are positionals")
    func commandGroups() throws {
        let (arguments, _) = try run(["log", "proof", "7", "--size", "9"])
        #expect(arguments.spec.name == "log proof")
        #expect(try arguments.integer("INDEX") == 7)
        #expect(try arguments.integer("size") == 9)
        let (files, _) = try run(["pipeline", "check", "a.yaml", "b.yaml"])
        #expect(files.values("FILE") == ["a.yaml", "b.yaml"])
    }

    @Test("environment variables fill options that were not given")
    func environment() throws {
        let (arguments, globals) = try run(
            ["sign", "C", "S"],
            environment: ["COUNTERSIGN_KEY": "k.pem", "COUNTERSIGN_WORKSPACE": "/w"]
        )
        #expect(arguments.value("key") == "k.pem")
        #expect(globals.value("workspace") == "/w")
        let (explicit, _) = try run(["sign", "C", "S", "--key", "mine.pem"], environment: ["COUNTERSIGN_KEY": "k.pem"])
        #expect(explicit.value("key") == "mine.pem")
    }

    @Test(
        "usage errors name the problem",
        arguments: [
            (["sign", "C", "S", "--bogus"], "unknown option '--bogus'"),
            (["sign", "C", "S", "--ass", "x"], "did you mean '--as'?"),
            (["sign", "C"], "missing argument STEP"),
            (["sign", "C", "S", "extra"], "unexpected argument 'extra'"),
            (["sign", "C", "S", "--as"], "--as needs a value"),
            (["sign", "C", "S", "--as", "a", "--as", "b"], "--as given twice"),
            (["sing", "C", "S"], "did you mean 'sign'?"),
            (["log", "prof", "1"], "unknown command 'log prof'"),
            (["log", "proof", "x"], "INDEX expects a whole number"),
            (["sign", "C", "S", "--reject=yes"], "--reject takes no value"),
        ]
    )
    func usageErrors(line: [String], message: String) throws {
        let error = #expect(throws: UsageError.self) {
            let request = try Self.parser.parse(line, environment: [:])
            if case .run(_, let arguments, _) = request { _ = try arguments.integer("INDEX") }
        }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test("help is generated from the declaration, for a command, a group and the program")
    func help() throws {
        guard case .help(let text) = try Self.parser.parse(["sign", "--help"], environment: [:]) else {
            Issue.record("expected help")
            return
        }
        #expect(text.contains("USAGE: countersign sign CASE STEP [--as PARTY] [--key FILE]"))
        #expect(text.contains("--doc NAME=FILE"))
        #expect(text.contains("(env COUNTERSIGN_KEY)"))
        guard case .help(let group) = try Self.parser.parse(["log"], environment: [:]) else {
            Issue.record("expected group help")
            return
        }
        #expect(group.contains("log proof") && group.contains("log verify") && !group.contains("pipeline check"))
        guard case .help(let overview) = try Self.parser.parse([], environment: [:]) else {
            Issue.record("expected overview")
            return
        }
        #expect(overview.contains("pipeline check") && overview.contains("--workspace DIR"))
    }

    @Test("edit distance counts insertions, deletions and substitutions")
    func distance() {
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(editDistance("", "abc") == 3)
        #expect(editDistance("same", "same") == 0)
    }
}
