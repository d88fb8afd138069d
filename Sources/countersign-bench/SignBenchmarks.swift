import Foundation

/// Issue 4: one `countersign sign` process end to end on a ledger of 1,000,000 entries, against the
/// same command on a ledger of 1,000.
enum SignBenchmarks {
    /// Measured signatures per ledger; each is on a case of its own, opened beforehand.
    static let runs = 10

    static func run() throws {
        Bench.section("Signing at scale (issue 4)")
        let small = try BenchWorkspace.prepared("sign-1k", entries: 1_000, slack: 1)
        let large = try BenchWorkspace.prepared("sign-1M", entries: 1_000_000, slack: 20_000)
        let sizes = (try small.ledgerSize(), try large.ledgerSize())
        // Case ids unique to this run, so a cached workspace takes new cases every time.
        let tag = String(Int(Date().timeIntervalSince1970), radix: 36)
        let cases = (0..<runs).map { "bench-\(tag)-\($0)" }
        for workspace in [small, large] {
            for caseID in cases { try open(caseID, in: workspace) }
        }
        // Alternate the two ledgers, so a busy neighbour on the machine slows both alike.
        var smallTimes: [Double] = []
        var largeTimes: [Double] = []
        for caseID in cases {
            smallTimes.append(try Bench.time { try sign(caseID, in: small) })
            largeTimes.append(try Bench.time { try sign(caseID, in: large) })
        }
        let ratio = Bench.median(largeTimes) / Bench.median(smallTimes)
        Bench.report(
            "sign (whole process) at \(sizes.1) entries",
            value: Bench.duration(Bench.median(largeTimes)),
            against: "\(sizes.0) entries: \(Bench.duration(Bench.median(smallTimes)))",
            ratio: ratio,
            target: "≤ 1.5",
            met: ratio <= 1.5
        )
    }

    private static let openedAt = "2026-11-02T09:00:00Z"
    private static let signedAt = "2026-11-02T09:30:00Z"

    private static func open(_ caseID: String, in workspace: BenchWorkspace) throws {
        try workspace.countersign([
            "open", "mortgage-approval", caseID, "--as", "bank", "--key", "out/keys/bank.pem", "--now", openedAt,
            "--doc", "application=pipelines/samples/mortgage-approval/application-large.xml", "-q",
        ])
    }

    private static func sign(_ caseID: String, in workspace: BenchWorkspace) throws {
        try workspace.countersign([
            "sign", caseID, "credit-check", "--as", "bank", "--key", "out/keys/bank.pem", "--now", signedAt, "-q",
        ])
    }
}
