import Foundation

// `make bench`: every benchmark prints its measurement as a ratio against a floor measured in the same run.
// `COUNTERSIGN_BENCH=name,...` runs only the named groups (crypto, ledger, documents, sign, advance, reconcile, bundle, postgres, governance, casemap, nightly, ingest).
let selected = ProcessInfo.processInfo.environment["COUNTERSIGN_BENCH"].map {
    Set($0.split(separator: ",").map(String.init))
}
func group(_ name: String, _ body: () throws -> Void) rethrows {
    if selected?.contains(name) ?? true { try body() }
}

print("Countersign benchmarks — \(ProcessInfo.processInfo.activeProcessorCount) cores")
try group("crypto") { try CryptoBenchmarks.run() }
try group("ledger") { try LedgerBenchmarks.run() }
try group("documents") { try DocumentBenchmarks.run() }
try group("sign") { try SignBenchmarks.run() }
try group("advance") { try AdvanceBenchmarks.run() }
try group("reconcile") { try ReconcileBenchmarks.run() }
try group("bundle") { try BundleBenchmarks.run() }
try group("postgres") { try PostgresBenchmarks.run() }
try group("governance") { try GovernanceBenchmarks.run() }
try group("casemap") { try CaseMapBenchmarks.run() }
try group("nightly") { try NightlyBenchmarks.run() }
try group("ingest") { try IngestBenchmarks.run() }
