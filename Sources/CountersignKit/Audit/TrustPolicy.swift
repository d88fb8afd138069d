/// Which log and witness keys a verifier trusts, in the C2SP transparency log policy format
/// (c2sp.org/tlog-policy): `log VKEY [URL]`, `witness NAME VKEY [URL]`,
/// `group NAME all|any|K MEMBER...` and `quorum NAME|none`; `#` starts a comment line. Countersign
/// adds one line of its own, `genesis sha256:HEX`, pinning the consortium's genesis entry (the
/// SHA-256 of its envelope's bytes): then every key the bundle's governance entries bring in rests
/// on that pinned root.
///
/// A checkpoint satisfies the policy when one of the logs signed it and the witnesses that
/// cosigned it meet the quorum. Countersign makes the `quorum` line optional: without one, every
/// listed witness must cosign (and with no witness listed, none need).
public struct TrustPolicy: Sendable {
    /// A trusted witness: its name in the policy and its cosignature key (type 0x04).
    public struct Witness: Sendable, Hashable {
        public let name: String
        public let verifier: NoteVerifier
    }

    /// The rule deciding which sets of cosigning witnesses are enough.
    public indirect enum Quorum: Sendable, Hashable, CustomStringConvertible {
        /// No cosignature needed.
        case none
        /// This witness must cosign.
        case witness(String)
        /// At least `threshold` of the members must be satisfied.
        case group(name: String, threshold: Int, members: [Quorum])

        /// Whether the witnesses named in `cosigned` satisfy the rule.
        public func isSatisfied(by cosigned: Set<String>) -> Bool {
            switch self {
            case .none: true
            case .witness(let name): cosigned.contains(name)
            case .group(_, let threshold, let members):
                members.filter { $0.isSatisfied(by: cosigned) }.count >= threshold
            }
        }

        public var description: String {
            switch self {
            case .none: "no cosignature"
            case .witness(let name): "a cosignature by witness \(name)"
            case .group(let name, let threshold, let members):
                "\(threshold) of \(members.count) of group \(name)"
            }
        }
    }

    /// Keys a checkpoint may be signed with (type 0x01); their names are log origins.
    public let logs: [NoteVerifier]
    /// Witnesses whose cosignatures count (type 0x04).
    public let witnesses: [Witness]
    public let quorum: Quorum
    /// The pinned genesis entry: SHA-256 of its envelope bytes.
    public let genesis: Digest?

    /// Parses a policy file; `path` names it in messages. Every problem is reported at its line.
    public init(bytes: [UInt8], path: String) throws(Diagnostics) {
        var logs: [NoteVerifier] = []
        var witnesses: [Witness] = []
        var names: [String: Quorum] = [:]
        var quorum: Quorum?
        var genesis: Digest?
        var problems: [Diagnostic] = []
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for (offset, line) in lines.enumerated() {
            let words = line.split { $0 == " " || $0 == "\t" }.map(String.init)
            guard let keyword = words.first, !keyword.hasPrefix("#") else { continue }
            let column =
                (line.firstIndex { $0 != " " && $0 != "\t" }.map { line.distance(from: line.startIndex, to: $0) } ?? 0)
                + 1
            func problem(_ message: String) {
                problems.append(Diagnostic(message, at: SourceLocation(file: path, line: offset + 1, column: column)))
            }
            func key(_ text: String, type: NoteVerifier.SignatureType, role: String) -> NoteVerifier? {
                do {
                    let verifier = try NoteVerifier(vkey: text)
                    guard verifier.type == type else {
                        problem(
                            "a \(role) key must have signature type 0x0\(type.rawValue), not 0x0\(verifier.type.rawValue)"
                        )
                        return nil
                    }
                    let known = logs.map(\.publicKey) + witnesses.map(\.verifier.publicKey)
                    guard !known.contains(verifier.publicKey) else {
                        problem("this public key is already listed; the policy format allows each key once")
                        return nil
                    }
                    return verifier
                } catch {
                    problem(error.description)
                    return nil
                }
            }
            switch keyword {
            case "log":
                guard words.count == 2 || words.count == 3 else {
                    problem("expected `log VKEY [URL]`")
                    continue
                }
                if let verifier = key(words[1], type: .ed25519, role: "log") { logs.append(verifier) }
            case "witness":
                guard words.count == 3 || words.count == 4 else {
                    problem("expected `witness NAME VKEY [URL]`")
                    continue
                }
                guard words[1] != "none", names[words[1]] == nil else {
                    problem("the name \(words[1]) is already defined")
                    continue
                }
                if let verifier = key(words[2], type: .cosignatureV1, role: "witness") {
                    witnesses.append(Witness(name: words[1], verifier: verifier))
                    names[words[1]] = .witness(words[1])
                }
            case "group":
                switch Self.group(words, names: names) {
                case .success(let group):
                    names[words[1]] = group
                case .failure(let failure):
                    problem(failure.message)
                }
            case "quorum":
                guard words.count == 2 else {
                    problem("expected `quorum NAME` or `quorum none`")
                    continue
                }
                guard quorum == nil else {
                    problem("a policy has exactly one quorum line")
                    continue
                }
                guard let rule = words[1] == "none" ? Quorum.none : names[words[1]] else {
                    problem("quorum names \(words[1]), which no earlier witness or group line defines")
                    continue
                }
                quorum = rule
            case "genesis":
                guard words.count == 2, words[1].hasPrefix("sha256:"),
                    let digest = StepPredicate.lowercaseSHA256(words[1].dropFirst(7))
                else {
                    problem("expected `genesis sha256:HEX` (64 lowercase hex digits)")
                    continue
                }
                guard genesis == nil else {
                    problem("a policy pins at most one genesis")
                    continue
                }
                genesis = digest
            default:
                problem("unknown line `\(keyword)`: expected log, witness, group, quorum or genesis")
            }
        }
        guard problems.isEmpty else { throw Diagnostics(problems) }
        self.logs = logs
        self.witnesses = witnesses
        self.genesis = genesis
        self.quorum =
            quorum
            ?? (witnesses.isEmpty
                ? .none
                : .group(
                    name: "every listed witness",
                    threshold: witnesses.count,
                    members: witnesses.map { .witness($0.name) }
                ))
    }

    /// What is wrong with one line.
    private struct LineProblem: Error {
        let message: String

        init(_ message: String) {
            self.message = message
        }
    }

    /// A `group NAME all|any|K MEMBER...` line, its members defined on earlier lines.
    private static func group(_ words: [String], names: [String: Quorum]) -> Result<Quorum, LineProblem> {
        guard words.count >= 4 else { return .failure(LineProblem("expected `group NAME all|any|K MEMBER...`")) }
        let name = words[1]
        guard name != "none", names[name] == nil else {
            return .failure(LineProblem("the name \(name) is already defined"))
        }
        let memberNames = Array(words[3...])
        guard Set(memberNames).count == memberNames.count else {
            return .failure(LineProblem("group \(name) lists a member twice"))
        }
        var members: [Quorum] = []
        for member in memberNames {
            guard let rule = names[member] else {
                return .failure(LineProblem("group \(name) names \(member), which no earlier line defines"))
            }
            members.append(rule)
        }
        let threshold: Int
        switch words[2] {
        case "all": threshold = members.count
        case "any": threshold = 1
        default:
            guard let number = Int(words[2]), String(number) == words[2], (1...members.count).contains(number) else {
                return .failure(
                    LineProblem("group \(name): threshold \(words[2]) must be all, any or 1 to \(members.count)")
                )
            }
            threshold = number
        }
        return .success(.group(name: name, threshold: threshold, members: members))
    }
}
