import ArgumentParsing
import CountersignKit
import Foundation

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The `countersign` executable: parses the command line, runs one command, maps errors to exit codes.
@main
enum Countersign {
    /// Every command, each declared once in its own file.
    static let commands: [any CountersignCommand.Type] = [
        KeygenCommand.self,
        ConsortiumInitCommand.self,
        ConsortiumShowCommand.self,
        ConsortiumPolicyCommand.self,
        ProposeCommand.self,
        ApproveCommand.self,
        RevokeCommand.self,
        CheckpointCommand.self,
        WitnessCommand.self,
        PipelineCheckCommand.self,
        PipelineShowCommand.self,
        DocFingerprintCommand.self,
        OpenCommand.self,
        SignCommand.self,
        RequestCommand.self,
        AttachCommand.self,
        WithdrawCommand.self,
        SubmitCommand.self,
        StatusCommand.self,
        NoticesCommand.self,
        AdvanceCommand.self,
        ReconcileCommand.self,
        DemoCommand.self,
        LogVerifyCommand.self,
        LogProofCommand.self,
        LogConsistencyCommand.self,
        LogShowCommand.self,
        ExportCommand.self,
        BundleCommand.self,
        VerifyBundleCommand.self,
        LedgerCopyCommand.self,
    ]

    /// The hidden commands for tools: completion values, completion scripts, manual pages.
    static let tools: [any ToolCommand.Type] = [
        CompleteCommand.self,
        CompletionScriptCommand.self,
        ManCommand.self,
    ]

    static let version = "0.1.0"

    /// The parser of every declaration: what `--help`, the manual pages and the completions show.
    static let parser = ArgumentParser(
        programName: "countersign",
        commands: commands.map { $0.spec } + tools.map { $0.spec },
        globals: GlobalOptions.specs
    )

    static func main() {
        let status = run(
            Array(CommandLine.arguments.dropFirst()),
            environment: ProcessInfo.processInfo.environment,
            console: .standard
        )
        exit(status)
    }

    /// Runs one command line and returns its exit code; tests call this directly.
    static func run(_ arguments: [String], environment: [String: String], console: Console) -> Int32 {
        var output: JSONOutput?
        do {
            switch try parser.parse(arguments, environment: environment) {
            case .version:
                console.out("countersign \(version)")
                return ExitCode.success
            case .help(let text):
                console.out(text)
                return ExitCode.success
            case .run(let spec, let parsed, _) where spec.isHidden:
                let tool = tools.first { $0.spec.path == spec.path }!
                try tool.run(parsed, parser: parser, environment: environment, console: console)
                return ExitCode.success
            case .run(let spec, let parsed, let globals):
                let command = commands.first { $0.spec.path == spec.path }!
                let json = globals.flag("json") ? JSONOutput(standardOutput: console) : nil
                output = json
                let context = try CommandContext(
                    globals: globals,
                    environment: environment,
                    console: json?.console ?? console,
                    jsonOutput: json
                )
                try command.run(parsed, in: context)
                try json?.finish(command: spec.name)
                return ExitCode.success
            }
        } catch {
            // `--json` is honoured even when the command line itself is wrong; a command that printed
            // its own document (a failed verification's report) prints no second one.
            let json = arguments.prefix { $0 != "--" }.contains("--json") && output?.printed != true
            return ExitCode.report(error, console: console, json: json)
        }
    }
}

/// A subcommand: its declaration and what it does.
protocol CountersignCommand: Sendable {
    static var spec: CommandSpec { get }
    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws
}
