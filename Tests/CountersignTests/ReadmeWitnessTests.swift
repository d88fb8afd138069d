import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("the README's commands work as written")
struct ReadmeWitnessTests {
    static let readme =
        (try? String(contentsOf: ExampleWorkspace.repository.appendingPathComponent("README.md"), encoding: .utf8))
        ?? ""

    /// The parties the walkthrough makes keys for (`for p in ...; do countersign keygen $p`).
    static var walkthroughParties: [String] {
        guard
            let line = readme.split(separator: "\n").first(where: { $0.hasPrefix("for p in ") && $0.contains("keygen") }
            )
        else { return [] }
        return line.dropFirst("for p in ".count).prefix { $0 != ";" }.split(separator: " ").map(String.init)
    }

    /// The command lines of the "Witnesses and audit bundles" block, comments cut off.
    static var witnessBlock: [String] {
        guard let section = readme.range(of: "## Witnesses and audit bundles"),
            let start = readme.range(of: "```sh\n", range: section.upperBound..<readme.endIndex),
            let end = readme.range(of: "```", range: start.upperBound..<readme.endIndex)
        else { return [] }
        return readme[start.upperBound..<end.lowerBound].split(separator: "\n").map {
            String($0.prefix { $0 != "#" }).trimmingCharacters(in: .whitespaces)
        }
    }

    @Test("the witness step signs with a key the walkthrough made, and cosigns the checkpoint it printed")
    func witnessStep() throws {
        let parties = Self.walkthroughParties
        #expect(parties.contains("bank") && parties.count >= 3, "\(parties)")
        let checkpoint = try #require(Self.witnessBlock.first { $0.hasPrefix("countersign checkpoint ") })
        let witness = try #require(Self.witnessBlock.first { $0.hasPrefix("countersign witness ") })
        let w = try ExampleWorkspace(keysFor: parties)
        #expect(try w.openMortgage("M-README").status == 0)
        // `countersign checkpoint ... > cp.txt`, as the shell would run it.
        let parts = checkpoint.components(separatedBy: " > ")
        let signed = try w.cli.run(Array(parts[0].split(separator: " ").dropFirst().map(String.init)))
        #expect(signed.status == 0, "\(checkpoint): \(signed.stderr)")
        try signed.stdout.write(
            toFile: w.path(parts[1].trimmingCharacters(in: .whitespaces)),
            atomically: true,
            encoding: .utf8
        )
        let arguments = witness.split(separator: " ").dropFirst().map(String.init)
        let party = try #require(arguments.firstIndex(of: "--as").map { arguments[$0 + 1] })
        #expect(parties.contains(party), "the README's witness '\(party)' has no key in the walkthrough (\(parties))")
        let cosigned = try w.cli.run(arguments)
        #expect(cosigned.status == 0, "\(witness): \(cosigned.stderr)")
        #expect(cosigned.stdout.contains("— \(party) "), "\(cosigned.stdout)")
    }
}
