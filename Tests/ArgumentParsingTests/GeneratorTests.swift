import ArgumentParsing
import Testing

@Suite("man pages, completions and command-line prefixes from declarations")
struct GeneratorTests {
    static let parser = ArgumentParser(
        programName: "tool",
        commands: [
            CommandSpec(
                "sign",
                abstract: "Sign a step.",
                discussion: ".TH injected \\ and `code`",
                arguments: [
                    .positional("CASE", completion: .dynamic("case"), help: "the case"),
                    .option("as", value: "PARTY", completion: .dynamic("party"), help: "who signs"),
                    .option("key", value: "FILE", environment: "TOOL_KEY", help: "the key"),
                    .flag("reject", help: "refuse"),
                ]
            ),
            CommandSpec("log proof", abstract: "A proof.", arguments: [.positional("INDEX", help: "index")]),
            CommandSpec("__secret", abstract: "Hidden.", isHidden: true),
        ],
        globals: [.flag("quiet", short: "q", help: "quiet"), .option("workspace", value: "DIR", help: "where")]
    )
    static let header = ManPage.Header(date: "2026-01-02", source: "Tool 1.0", manual: "Tool Manual")

    @Test("a command's page has its synopsis, options with dashes escaped, and no text as a request")
    func commandPage() {
        let command = Self.parser.commands[0]
        let roff = ManPage.command(command, of: Self.parser, header: Self.header, extra: []).roff
        #expect(roff.hasPrefix(#".TH "TOOL\-SIGN" 1 "2026\-01\-02" "Tool 1.0" "Tool Manual""#))
        #expect(roff.contains("tool\\-sign \\- Sign a step\n"))
        #expect(roff.contains("\\fB\\-\\-key\\fR \\fIFILE\\fR"))
        #expect(roff.contains("\\&.TH injected \\e and \\fBcode\\fR"), "\(roff)")
        #expect(!roff.split(separator: "\n").contains { $0.hasPrefix(".TH injected") })
        #expect(roff.contains("\\fBTOOL_KEY\\fR"))
        #expect(ManPage.name(of: Self.parser.commands[1], in: Self.parser) == "tool-log-proof")
    }

    @Test("the program's page lists every command but the hidden ones")
    func programPage() {
        let roff = ManPage.program(Self.parser, summary: "a tool", description: [], header: Self.header, extra: [])
            .roff
        #expect(roff.contains("\\fBtool sign\\fR") && roff.contains("\\fBtool log proof\\fR"))
        #expect(!roff.contains("secret"))
    }

    @Test("the completion scripts name every visible command and option, and no hidden one")
    func scripts() {
        let bash = BashCompletion(parser: Self.parser).script
        let zsh = ZshCompletion(parser: Self.parser).script
        for word in ["sign", "proof", "--as", "--key", "--reject", "--quiet", "-q", "--workspace"] {
            #expect(bash.contains(word) && zsh.contains(word), "\(word)")
        }
        #expect(bash.contains("'sign --as') _tool_kind='dynamic:party'"))
        #expect(bash.contains("'sign 0') _tool_kind='dynamic:case'"))
        #expect(bash.contains("'--workspace') _tool_kind='directory'"))
        #expect(zsh.contains("'--as[who signs]:PARTY:_tool_dynamic party'"))
        #expect(zsh.hasPrefix("#compdef tool\n"))
        #expect(!bash.contains("secret") && !zsh.contains("secret"))
    }

    @Test("a value placeholder implies its completion")
    func implied() {
        #expect(CompletionKind.implied(by: "DIR") == .directory)
        #expect(CompletionKind.implied(by: "CHECKPOINT-FILE") == .file)
        #expect(CompletionKind.implied(by: "system|simulated") == .list(["system", "simulated"]))
        #expect(CompletionKind.implied(by: "TEXT") == .none)
    }

    @Test("a command-line prefix finds the command, its positionals and option values, leniently")
    func prefix() {
        let line = CommandLinePrefix(
            ["--workspace", "w", "sign", "--as", "bank", "C-1", "--unknown", "-q", "--key=k.pem"],
            parser: Self.parser
        )
        #expect(line.command?.name == "sign")
        #expect(line.value("CASE") == "C-1" && line.value("as") == "bank" && line.value("key") == "k.pem")
        #expect(line.options["workspace"] == ["w"])
        let group = CommandLinePrefix(["log"], parser: Self.parser)
        #expect(group.command == nil && group.path == ["log"])
    }

    @Test("hidden commands parse but are left out of --help")
    func hidden() throws {
        guard case .help(let text) = try Self.parser.parse([], environment: [:]) else {
            Issue.record("expected help")
            return
        }
        #expect(!text.contains("secret"))
        guard case .run(let command, _, _) = try Self.parser.parse(["__secret"], environment: [:]) else {
            Issue.record("expected a run")
            return
        }
        #expect(command.isHidden)
    }
}
