/// A batch (`advance`, `reconcile`) finished its work but found problems: listed above, and in the
/// report when it wrote one. Exit 1.
struct BatchProblems: Error, CustomStringConvertible {
    /// The command as the user ran it (`reconcile --dry-run`, say).
    let command: String
    let count: Int
    /// The report file; `nil` when none was written.
    let report: String?

    var description: String {
        "\(command) found \(count) problem\(count == 1 ? "" : "s"); "
            + (report.map { "see \($0)" } ?? "they are listed above")
    }
}
