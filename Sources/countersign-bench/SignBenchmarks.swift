import Foundation

/// Issue 4: one `countersign sign` process end to end on a ledger of 1,000,000 entries, against the
/// same command on a ledger of 1,000; issue 14: the same process against the floor of starting an
/// empty Swift process built as the binary is (static Swift runtime), and its 30 ms ceiling.
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
            smallTimes.append(try sign(caseID, in: small))
            largeTimes.append(try sign(caseID, in: large))
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
        let floor = try emptyProcessTime()
        let whole = Bench.median(largeTimes)
        Bench.report(
            "sign (whole process), 1M ledger, vs 30 ms",
            value: Bench.duration(whole),
            against: "empty Swift process \(Bench.duration(floor))",
            ratio: whole / 0.030,
            target: "≤ 1.0",
            met: whole <= 0.030
        )
    }

    /// The median time to start and end a Swift program that prints one empty line, linked with
    /// the static Swift runtime as `make build` links `countersign`.
    private static func emptyProcessTime() throws -> Double {
        let folder = Bench.dataFolder.appendingPathComponent("empty-process")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let source = folder.appendingPathComponent("main.swift")
        let binary = folder.appendingPathComponent("empty").path
        if !FileManager.default.isExecutableFile(atPath: binary) {
            try Data("print(\"\")\n".utf8).write(to: source)
            try Shell.check("/usr/bin/env", ["swiftc", "-O", "-static-stdlib", source.path, "-o", binary])
        }
        var times: [Double] = []
        for _ in 0..<20 { times.append(try Shell.timed(binary, [])) }
        return Bench.median(times)
    }

    private static let openedAt = "2026-11-02T09:00:00Z"
    private static let signedAt = "2026-11-02T09:30:00Z"

    private static func open(_ caseID: String, in workspace: BenchWorkspace) throws {
        try workspace.countersign([
            "open", "mortgage-approval", caseID, "--as", "bank", "--key", "out/keys/bank.pem", "--now", openedAt,
            "--doc", "application=pipelines/samples/mortgage-approval/application-large.xml", "-q",
        ])
    }

    /// One `sign` process, timed as a shell runs it (`Shell.timed`).
    private static func sign(_ caseID: String, in workspace: BenchWorkspace) throws -> Double {
        try workspace.timedCountersign([
            "sign", caseID, "credit-check", "--as", "bank", "--key", "out/keys/bank.pem", "--now", signedAt, "-q",
        ])
    }
}
