import Foundation

// `make bench`: every benchmark prints its measurement as a ratio against a floor measured in the same run.
print("Countersign benchmarks — \(ProcessInfo.processInfo.activeProcessorCount) cores")
try CryptoBenchmarks.run()
try LedgerBenchmarks.run()
try DocumentBenchmarks.run()
try SignBenchmarks.run()
