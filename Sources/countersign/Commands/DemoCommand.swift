import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign demo`: the example processes end to end, from nothing, in `out/demo/`, shown as the
/// very commands a user would type.
enum DemoCommand: CountersignCommand {
    static let spec = CommandSpec(
        "demo",
        abstract: "Run a mortgage approval and a lottery prize claim end to end in out/demo/.",
        discussion: """
            Starts from nothing: copies pipelines/ and parties/ into out/demo/, makes keys for every \
            party, founds the consortium on the ledger (the parties join, a policy of two admins, the \
            pipelines approved, an edited pipeline refused), then runs the example cases command by \
            command — a board quorum, a step signed \
            offline and submitted, an automatic funds release, a refused signature with its reasons, \
            and a prize claim that expires unclaimed — and prints where to look.
            """
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let demo = context.workspace.appendingPathComponent("out/demo")
        try DemoWorkspace.create(at: demo, from: context.workspace)
        var script = DemoScript(workspace: demo, console: context.console)
        let parties = try DemoWorkspace.parties(in: demo)
        try script.keys(for: parties)
        try script.founding(parties)
        try script.mortgage()
        try script.lottery()
        try script.finish()
    }
}

/// The demo's own workspace: a fresh copy of the example pipelines and parties.
enum DemoWorkspace {
    static func create(at demo: URL, from workspace: URL) throws {
        let files = FileManager.default
        for folder in ["pipelines", "parties"]
        where !files.fileExists(atPath: workspace.appendingPathComponent(folder).path) {
            throw EnvironmentError("the demo needs the example \(folder)/ folder; run it from the Countersign checkout")
        }
        try? files.removeItem(at: demo)
        try files.createDirectory(at: demo, withIntermediateDirectories: true)
        for folder in ["pipelines", "parties"] {
            try files.copyItem(at: workspace.appendingPathComponent(folder), to: demo.appendingPathComponent(folder))
        }
    }

    static func parties(in demo: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: demo.appendingPathComponent("parties").path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }
}
