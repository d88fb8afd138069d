/// One fuzz target: a parser of Countersign and the property every input must keep.
///
/// The same value serves the libFuzzer entry point (`Fuzz/Main/FuzzMain.swift`, which aborts on a
/// violation so libFuzzer saves the input) and the replay test in `make test` (which runs `check`
/// over the saved corpus and every past crash, without a sanitizer).
public struct FuzzTarget: Sendable {
    /// The target's name: its binary under `.build/fuzz/`, its folders under `Fuzz/corpus/` and `Fuzz/crashes/`.
    public let name: String
    /// The dictionary in `Fuzz/dict/` libFuzzer mutates with (`json`, `yaml`, `xml` or `text`).
    public let dictionary: String
    /// Valid inputs built in code (signed objects, whose bytes depend on the fixed keys), fuzzed
    /// and replayed along with the files of the corpus.
    public let seeds: [[UInt8]]
    /// Checks the property on one input; throws the first violation.
    public let check: @Sendable ([UInt8]) throws(FuzzFailure) -> Void

    public init(
        name: String,
        dictionary: String,
        seeds: [[UInt8]] = [],
        check: @escaping @Sendable ([UInt8]) throws(FuzzFailure) -> Void
    ) {
        self.name = name
        self.dictionary = dictionary
        self.seeds = seeds
        self.check = check
    }

    /// Every target, one per parser.
    public static let all: [FuzzTarget] = [
        PipelineYAMLFuzz.target,
        PartyYAMLFuzz.target,
        XMLDocumentFuzz.target,
        XMLSchemaFuzz.target,
        XPathRuleFuzz.target,
        EnvelopeFuzz.target,
        StatementFuzz.target,
        SignedNoteFuzz.target,
        CheckpointFuzz.target,
        CosignatureFuzz.target,
        TlogProofFuzz.target,
        BagFuzz.target,
        TrustPolicyFuzz.target,
        SigningRequestFuzz.target,
    ]

    /// The target named `name`, if any.
    public static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}
