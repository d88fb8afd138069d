import CountersignKit

/// Trust policies (`TrustPolicy(bytes:path:)`, C2SP tlog-policy plus `genesis`): reading is
/// deterministic, every witness a policy names has a distinct name and key, and the cosignatures
/// of every listed witness always satisfy the policy's quorum.
enum TrustPolicyFuzz {
    static let target = FuzzTarget(name: "trust-policy", dictionary: "text") { bytes throws(FuzzFailure) in
        let first = outcome(bytes)
        try FuzzFailure.expect(outcome(bytes) == first, "reading the same policy twice gives two outcomes")
        guard let policy = try? TrustPolicy(bytes: bytes, path: "trust.txt") else { return }
        let names = Set(policy.witnesses.map(\.name))
        try FuzzFailure.expect(names.count == policy.witnesses.count, "two witnesses share a name")
        try FuzzFailure.expect(
            Set(policy.logs.map(\.publicKey) + policy.witnesses.map(\.verifier.publicKey)).count
                == policy.logs.count + policy.witnesses.count,
            "a key is listed twice"
        )
        try FuzzFailure.expect(
            policy.quorum.isSatisfied(by: names),
            "every witness cosigning does not satisfy the quorum"
        )
    }

    /// The policy's contents, or its problems.
    private static func outcome(_ bytes: [UInt8]) -> String {
        do {
            let policy = try TrustPolicy(bytes: bytes, path: "trust.txt")
            return "logs \(policy.logs) witnesses \(policy.witnesses.map { "\($0.name) \($0.verifier)" }) "
                + "quorum \(String(reflecting: policy.quorum)) genesis \(policy.genesis?.hex ?? "-")"
        } catch {
            return "refused: \(error)"
        }
    }
}
