import Foundation

/// Every party of a workspace (`parties/*.yaml`), looked up by party id or by key id. Valid once
/// made: party ids are unique and no key belongs to two parties, so a key id names one signer.
public struct PartyRegistry: Sendable {
    /// The parties, sorted by id.
    public let parties: [Party]
    private let byID: [String: Party]
    private let byKeyID: [String: (party: String, key: PartyKey)]

    /// Loads party files given as (display path, bytes), e.g. the `parties/` folder of a bundle.
    /// Throws every problem in every file, each at its line and column.
    public init(files: [(path: String, bytes: [UInt8])]) throws(Diagnostics) {
        var reader = DefinitionReader()
        var parties: [String: Party] = [:]
        var keys: [String: (party: String, key: PartyKey)] = [:]
        for file in files.sorted(by: { $0.path < $1.path }) {
            guard let (party, locations) = Party.read(file.bytes, path: file.path, reader: &reader) else { continue }
            guard parties[party.id] == nil else {
                reader.error(
                    "party '\(party.id)' is defined by two files",
                    at: SourceLocation(file: file.path, line: 1, column: 1)
                )
                continue
            }
            parties[party.id] = party
            for (key, location) in zip(party.keys, locations) {
                if let owner = keys[key.keyID] {
                    reader.error("key \(key.keyID) already belongs to party '\(owner.party)'", at: location)
                    continue
                }
                keys[key.keyID] = (party.id, key)
            }
        }
        guard reader.diagnostics.isEmpty else { throw reader.problems }
        self.init(byID: parties, byKeyID: keys)
    }

    private init(byID: [String: Party], byKeyID: [String: (party: String, key: PartyKey)]) {
        self.parties = byID.values.sorted { $0.id < $1.id }
        self.byID = byID
        self.byKeyID = byKeyID
    }

    /// Loads every `*.yaml` file of `directory`; `displayPath` is how messages name the folder
    /// (`parties`). A missing folder is an empty registry (a workspace before its first `keygen`).
    public static func load(directory: URL, displayPath: String) throws(ConfigurationError) -> PartyRegistry {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
                return PartyRegistry(byID: [:], byKeyID: [:])
            }
            throw .unreadable(path: displayPath, reason: error.localizedDescription)
        }
        var files: [(path: String, bytes: [UInt8])] = []
        for name in names where name.hasSuffix(".yaml") {
            let path = (displayPath as NSString).appendingPathComponent(name)
            do {
                files.append((path, Array(try Data(contentsOf: directory.appendingPathComponent(name)))))
            } catch {
                throw .unreadable(path: path, reason: error.localizedDescription)
            }
        }
        do {
            return try PartyRegistry(files: files)
        } catch {
            throw .invalid(error)
        }
    }

    /// Every party id, for checking pipelines (`Pipeline(bytes:path:parties:)`).
    public var partyIDs: Set<String> { Set(byID.keys) }

    /// The party with this id, if any.
    public func party(_ id: String) -> Party? {
        byID[id]
    }

    /// The party holding the key with this key id, and the key, if any.
    public func key(withID keyID: String) -> (party: Party, key: PartyKey)? {
        byKeyID[keyID].flatMap { entry in byID[entry.party].map { ($0, entry.key) } }
    }

    /// Whether a signature by the key `keyID` made at `date` may be accepted, and whose key it is.
    public func key(for keyID: String, at date: Date) -> KeyValidity {
        guard let (party, key) = key(withID: keyID) else { return .unknown(keyID: keyID) }
        if key.isValid(at: date) { return .valid(party: party, key: key) }
        return key.since.map { date < $0 } == true
            ? .notYetValid(party: party, key: key) : .expired(party: party, key: key)
    }
}
