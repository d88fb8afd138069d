import Foundation
import TestSupport
import Testing

@Suite("man pages generated from the command declarations")
struct ManPageTests {
    /// Writes the pages with `__man` into a fresh folder.
    func pages() throws -> (Workspace, URL) {
        let workspace = Workspace()
        let result = try workspace.cli.run("__man", "man")
        #expect(result.status == 0, "\(result.stderr)")
        return (workspace, workspace.url.appendingPathComponent("man"))
    }

    /// A page as `man -l` renders it, wide enough that no line wraps; troff warnings on stderr.
    func render(_ page: URL) throws -> CLI.Result {
        try runProgram(
            "/usr/bin/man",
            ["--warnings=w", "-l", page.path],
            environment: ["MANWIDTH": "1000", "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin", "MANPAGER": "cat"]
        )
    }

    @Test("every page renders with man -l without a warning, and lists every option --help lists")
    func everyCommand() throws {
        let (workspace, folder) = try pages()
        let overview = try workspace.cli.run("--help").stdout
        let commands = helpCommands(overview)
        #expect(commands.count > 25 && commands.contains("log proof"), "\(commands)")
        #expect(!commands.contains { $0.hasPrefix("__") }, "hidden commands are not listed")
        let main = try render(folder.appendingPathComponent("countersign.1"))
        #expect(main.status == 0 && main.stderr.isEmpty, "\(main.stderr)")
        for command in commands {
            #expect(main.stdout.contains("countersign \(command)"), "countersign(1) lists \(command)")
            let name = "countersign-" + command.replacingOccurrences(of: " ", with: "-") + ".1"
            let page = try render(folder.appendingPathComponent(name))
            #expect(page.status == 0 && page.stderr.isEmpty, "\(name): \(page.stderr)")
            let help = try workspace.cli.run(command.split(separator: " ").map(String.init) + ["--help"]).stdout
            for option in helpOptions(help) {
                #expect(page.stdout.contains(option), "\(name) shows \(option)")
            }
            for section in ["SYNOPSIS", "EXIT STATUS", "ENVIRONMENT", "FILES", "COUNTERSIGN_WORKSPACE", "parties/"] {
                #expect(page.stdout.contains(section), "\(name) has \(section)")
            }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.count == commands.count + 2, "\(files.sorted())")
    }

    @Test("countersign-pipeline(5) renders the pipeline format's keys and an example")
    func pipelineFormat() throws {
        let (workspace, folder) = try pages()
        let page = try withExtendedLifetime(workspace) {
            try render(folder.appendingPathComponent("countersign-pipeline.5"))
        }
        #expect(page.status == 0 && page.stderr.isEmpty, "\(page.status) \(page.stdout) \(page.stderr)")
        for key in ["opened-by", "orchestrator", "documents", "expiry", "steps", "quorum", "on-reject", "P6M"] {
            #expect(page.stdout.contains(key), "\(key)")
        }
    }

    @Test("__man refuses to replace pages unless --force, and dates them by SOURCE_DATE_EPOCH")
    func force() throws {
        let (workspace, folder) = try pages()
        #expect(try workspace.cli.run("__man", "man").status == 3)
        var cli = workspace.cli
        cli.environment["SOURCE_DATE_EPOCH"] = "1780000000"
        #expect(try cli.run("__man", "man", "--force").status == 0)
        let roff = try String(contentsOf: folder.appendingPathComponent("countersign-sign.1"), encoding: .utf8)
        #expect(roff.hasPrefix(#".TH "COUNTERSIGN\-SIGN" 1 "2026\-05\-28""#), "\(roff.prefix(80))")
    }
}
