import Foundation
import FuzzTargets

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The libFuzzer entry points of `.build/fuzz/countersign-fuzz`, built by `scripts/fuzz`. The binary
/// runs the target named by its own file name (`.build/fuzz/TARGET` links to it); called by its own
/// name it lists the targets, one `NAME DICTIONARY` line each. With `COUNTERSIGN_FUZZ_SEEDS=DIR`
/// set it writes the target's built-in seeds into DIR and exits.
nonisolated(unsafe) private var selected: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
) -> Int32 {
    let name = URL(fileURLWithPath: String(cString: argv.pointee[0]!)).lastPathComponent
    guard let target = FuzzTarget.named(name) else {
        for target in FuzzTarget.all { print(target.name, target.dictionary) }
        exit(name == "countersign-fuzz" ? 0 : 2)
    }
    if let directory = ProcessInfo.processInfo.environment["COUNTERSIGN_FUZZ_SEEDS"] {
        for (index, seed) in target.seeds.enumerated() {
            _ = FileManager.default.createFile(atPath: "\(directory)/seed-\(index)", contents: Data(seed))
        }
        exit(0)
    }
    selected = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    do {
        try selected!.check(bytes)
    } catch {
        fputs("property violated in \(selected!.name): \(error)\n", stderr)
        abort()
    }
    return 0
}
