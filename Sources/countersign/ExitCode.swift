import ArgumentParsing
import CountersignKit

/// The exit codes of CLI.md, and the one place that decides which error gets which.
enum ExitCode {
    static let success: Int32 = 0
    /// The thing checked or asked for is not acceptable.
    static let rejected: Int32 = 1
    /// Unknown command or option, missing argument.
    static let usage: Int32 = 2
    /// A file unreadable, the ledger unreachable, the disk full.
    static let environment: Int32 = 3

    /// Prints `error` in the CLI.md format and returns its exit code; with `json`, also as
    /// `{"error": {...}}` on stdout (docs/DECISIONS.md, "The command line's contract"), the exit code unchanged.
    static func report(_ error: any Error, console: Console, json: Bool) -> Int32 {
        let status = report(error, console: console)
        if json { console.out(ErrorJSON(error: error, status: status).text) }
        return status
    }

    private static func report(_ error: any Error, console: Console) -> Int32 {
        switch error {
        case let usage as UsageError:
            console.err("countersign: error: \(usage.message)")
            if let command = usage.command {
                console.err("Usage: countersign \(command.name) --help")
            }
            return self.usage
        case let diagnostics as Diagnostics:
            diagnostics.all.forEach { console.err($0.description) }
            return rejected
        case ConfigurationError.invalid(let diagnostics):
            diagnostics.all.forEach { console.err($0.description) }
            return rejected
        case let diagnostic as Diagnostic:
            console.err(diagnostic.description)
            return rejected
        default:
            console.err("countersign: error: \(error)")
            return code(for: error)
        }
    }

    static func code(for error: any Error) -> Int32 {
        switch error {
        case let crypto as CryptoError:
            switch crypto {
            case .keyFileUnreadable, .library: return environment
            case .keyFileExists, .keyFileTooOpen, .invalidKey, .invalidPEM, .encryptedKey: return rejected
            }
        case let storage as StorageError:
            switch storage {
            case .badLocation: return usage
            case .unreachable, .engine, .unsupportedSchema: return environment
            case .caseMovedOn, .logTimeOutsideWindow: return rejected
            }
        case let configuration as ConfigurationError:
            switch configuration {
            case .unreadable, .unwritable: return environment
            case .invalid, .keyAlreadyRegistered, .invalidPartyID, .notEditable, .unknownPipeline: return rejected
            }
        case is EnvironmentError:
            return environment
        case let witness as WitnessError:
            if case .stateUnavailable = witness { return environment }
            return rejected
        case let document as DocumentError:
            if case .unreadable = document { return environment }
            return rejected
        case let failures as FileFailures:
            return failures.environment ? environment : rejected
        case let bundle as BundleError:
            switch bundle {
            case .unreadable, .unwritable: return environment
            default: return rejected
            }
        case is GovernanceError, is PipelineVersionFiles.Problem:
            return rejected
        case let request as SigningRequestError:
            switch request {
            case .unreadable, .unwritable: return environment
            default: return rejected
            }
        case let engine as EngineError:
            switch engine {
            case .unreadableSubmission, .unwritable: return environment
            default: return rejected
            }
        default:
            return rejected
        }
    }
}

/// Several files handled one by one (`submit`, `doc fingerprint`), some of which failed, each
/// reported as it happened: exit 3 when any failed for want of the file itself (missing,
/// unreadable), else 1.
struct FileFailures: Error, CustomStringConvertible {
    /// What failed, in words (`2 of 3 submissions refused`).
    let summary: String
    let environment: Bool

    var description: String { summary }
}

/// A file or folder the command needs and cannot use.
struct EnvironmentError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
