import ArgumentParsing
import CountersignKit
import Foundation

/// An error as `--json` prints it on stdout: `{"error": {"code", "kind", "message", "diagnostics"}}`
/// (docs/DECISIONS.md, "The command line's contract"), beside the usual message on stderr. `diagnostics` lists each problem with its
/// file, line and column when the error has positions.
struct ErrorJSON {
    let error: any Error
    let status: Int32

    var object: [String: Any] { ["error": body] }

    /// The error itself: `{"code", "kind", "message", "diagnostics"}`.
    var body: [String: Any] {
        let kinds: [Int32: String] = [
            ExitCode.rejected: "rejected", ExitCode.usage: "usage", ExitCode.environment: "environment",
        ]
        var body: [String: Any] = [
            "code": Int(status),
            "kind": kinds[status] ?? "rejected",
            "message": (error as? UsageError)?.message ?? "\(error)",
        ]
        let diagnostics = Self.diagnostics(of: error)
        if !diagnostics.isEmpty { body["diagnostics"] = diagnostics.map(\.json) }
        return body
    }

    var text: String {
        (try? JSONOutput.text(object)) ?? "{\"error\":{}}"
    }

    private static func diagnostics(of error: any Error) -> [Diagnostic] {
        switch error {
        case let diagnostics as Diagnostics: diagnostics.all
        case ConfigurationError.invalid(let inner): diagnostics(of: inner)
        case let diagnostic as Diagnostic: [diagnostic]
        default: []
        }
    }
}
