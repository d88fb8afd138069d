import Foundation
import TestSupport
import Testing

@Suite("make install: the Debian layout, and a binary that runs with no Swift toolchain")
struct InstallTests {
    /// The release binary `make build` made (`make test` builds it first).
    static let release = ExampleWorkspace.repository.appendingPathComponent(".build/release/countersign")

    /// The folder the Swift runtime libraries of the toolchain are in: where the debug build the
    /// other tests run loads `libswiftCore.so` from.
    static func toolchainLibraries() throws -> String {
        let ldd = try runProgram("/usr/bin/ldd", [CLI.executable.path]).stdout
        let line = try #require(ldd.split(separator: "\n").first { $0.contains("libswiftCore.so => /") })
        let path = line.split(separator: " ").first { $0.hasPrefix("/") }.map(String.init) ?? ""
        return (path as NSString).deletingLastPathComponent
    }

    @Test("make install-files DESTDIR puts each file where Debian does, and make uninstall removes them")
    func layout() throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.release.path),
            "no release binary: run `make build` (make test does)"
        )
        let root = TemporaryDirectory()
        let make =
            ["-s", "-C", ExampleWorkspace.repository.path, "DESTDIR=\(root.url.path)", "PREFIX=/usr/local"]
            + ["DIST=\(root.path("dist"))"]
        let installed = try runProgram("/usr/bin/make", make + ["install-files"])
        #expect(installed.status == 0, "\(installed.stderr)")
        let expected = [
            "usr/local/bin/countersign",
            "usr/local/share/man/man1/countersign.1.gz",
            "usr/local/share/man/man1/countersign-sign.1.gz",
            "usr/local/share/man/man1/countersign-log-proof.1.gz",
            "usr/local/share/man/man5/countersign-pipeline.5.gz",
            "usr/local/share/bash-completion/completions/countersign",
            "usr/local/share/zsh/vendor-completions/_countersign",
            "usr/local/lib/systemd/system/countersign-reconcile.service",
            "usr/local/lib/systemd/system/countersign-reconcile.timer",
            "etc/default/countersign",
        ]
        for file in expected {
            #expect(FileManager.default.fileExists(atPath: root.path(file)), "\(file)")
        }
        let unit = try String(contentsOfFile: root.path(expected[7]), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/countersign reconcile") && unit.contains("User=countersign"))
        #expect(unit.contains("StateDirectory=countersign"))
        let page = try runProgram("/usr/bin/man", ["-l", root.path(expected[2])], environment: ["MANPAGER": "cat"])
        #expect(page.status == 0 && page.stdout.contains("--reject"), "\(page.stderr)")

        let removed = try runProgram("/usr/bin/make", make + ["uninstall"])
        #expect(removed.status == 0, "\(removed.stderr)")
        for file in expected.dropLast() {
            #expect(!FileManager.default.fileExists(atPath: root.path(file)), "\(file) removed")
        }
    }

    @Test("the release binary links no library of the Swift toolchain and runs with it hidden, under env -i")
    func noToolchain() throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.release.path),
            "no release binary: run `make build` (make test does)"
        )
        let libraries = try Self.toolchainLibraries()
        let ldd = try runProgram("/usr/bin/ldd", [Self.release.path])
        #expect(ldd.status == 0)
        #expect(!ldd.stdout.contains(libraries) && !ldd.stdout.contains("libswift"), "\(ldd.stdout)")
        #expect(!ldd.stdout.contains("not found"), "\(ldd.stdout)")
        // A private mount namespace where the toolchain's library folder is an empty tmpfs, and a
        // clean environment: what a Debian machine with no toolchain gives it.
        let workspace = Workspace()
        let script = """
            mount -t tmpfs none '\(libraries)' && test -z "$(ls '\(libraries)')" || exit 99
            cd '\(workspace.url.path)' && exec env -i LD_LIBRARY_PATH= '\(Self.release.path)' keygen bank
            """
        let result = try runProgram("/usr/bin/unshare", ["--mount", "/bin/sh", "-c", script])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: workspace.path("out/keys/bank.pem")))
        #expect(FileManager.default.fileExists(atPath: workspace.path("parties/bank.yaml")))
    }
}
