import Foundation
import TestSupport
import Testing

@Suite("bash and zsh completions generated from the command declarations")
struct CompletionTests {
    /// What the bash completion function offers for `words` (the last one being completed), run in
    /// a real bash with the generated script sourced, in `folder`.
    func complete(_ words: [String], script: String, in folder: URL) throws -> [String] {
        let quoted = ([CLI.executable.path] + words).map { "'" + $0 + "'" }.joined(separator: " ")
        let program = """
            source /dev/stdin <<'SCRIPT'
            \(script)
            SCRIPT
            complete -p countersign >&2
            COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count); COMPREPLY=()
            _countersign
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try runProgram("/bin/bash", ["-c", program], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("complete -F _countersign countersign"), "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test("the bash script names every command and every option --help lists")
    func everyOption() throws {
        let workspace = Workspace()
        let script = try workspace.cli.run("__completion", "bash").stdout
        let zsh = try workspace.cli.run("__completion", "zsh").stdout
        for command in helpCommands(try workspace.cli.run("--help").stdout) {
            let words = command.split(separator: " ").map(String.init)
            for word in words {
                #expect(script.contains(word) && zsh.contains("'\(word)"), "\(word)")
            }
            #expect(script.contains("'\(command)')"), "bash knows the options of \(command)")
            let options = try complete(words + ["-"], script: script, in: workspace.url)
            for option in helpOptions(try workspace.cli.run(words + ["--help"]).stdout) {
                #expect(options.contains(option), "bash completes \(option) after \(command)")
                #expect(zsh.contains(option), "zsh knows \(option)")
            }
        }
        #expect(!script.contains("__complete'") && !script.contains("'__man"), "hidden commands are not offered")
    }

    @Test("bash completes a subcommand, a group's command and an option's fixed values")
    func words() throws {
        let workspace = Workspace()
        let script = try workspace.cli.run("__completion", "bash").stdout
        #expect(try complete(["si"], script: script, in: workspace.url) == ["sign"])
        #expect(try complete(["--json", "log", "pr"], script: script, in: workspace.url) == ["proof"])
        #expect(
            try complete(["consortium", "init", "--clock", ""], script: script, in: workspace.url) == [
                "system", "simulated",
            ]
        )
        #expect(
            try complete(["sign", "--re"], script: script, in: workspace.url) == ["--reject", "--reason", "--request"]
        )
    }

    @Test("bash completes the case ids of the workspace's ledger, a case's steps and party ids")
    func dynamicValues() throws {
        let w = try ExampleWorkspace(keysFor: ["bank", "lawyer"])
        let opened = try w.cli.run(
            "open",
            "mortgage-approval",
            "M-2026-0042",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--doc",
            "application=\(ExampleWorkspace.mortgageSamples)/application-large.xml"
        )
        #expect(opened.status == 0, "\(opened.stderr)")
        let script = try w.cli.run("__completion", "bash").stdout
        let folder = w.workspace.url
        #expect(try complete(["sign", "M-2026-"], script: script, in: folder) == ["M-2026-0042"])
        #expect(try complete(["sign", "M-2026-0042", "cr"], script: script, in: folder) == ["credit-check"])
        #expect(
            try complete(["sign", "M-2026-0042", "credit-check", "--as", "ba"], script: script, in: folder) == ["bank"]
        )
        #expect(try complete(["open", "mort"], script: script, in: folder) == ["mortgage-approval"])
        let elsewhere = Workspace()
        #expect(
            try complete(["--workspace", folder.path, "status", "M-"], script: script, in: elsewhere.url)
                == ["M-2026-0042"]
        )
        #expect(try complete(["status", "M-"], script: script, in: elsewhere.url).isEmpty)
    }

    @Test("__complete prints nothing and exits 0 when it has nothing to offer")
    func quietFailure() throws {
        let workspace = Workspace()
        for arguments in [["case", "--", "sign"], ["step", "--", "sign", "M-1"], ["no-such-kind"], ["party"]] {
            let result = try workspace.cli.run(["__complete"] + arguments)
            #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty, "\(arguments)")
        }
    }

    @Test("the zsh script is valid zsh")
    func zshSyntax() throws {
        let workspace = Workspace()
        let path = workspace.path("_countersign")
        try Data(try workspace.cli.run("__completion", "zsh").stdout.utf8).write(to: URL(fileURLWithPath: path))
        let result = try runProgram("/usr/bin/zsh", ["-n", path])
        #expect(result.status == 0, "\(result.stderr)")
    }
}
