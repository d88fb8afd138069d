import Foundation

/// A BagIt bag (RFC 8493, BagIt-Version 1.0) held in memory: its payload files under `data/` and
/// its `bag-info.txt` metadata. The tag files — `bagit.txt`, `bag-info.txt` with its
/// `Payload-Oxum`, `manifest-sha512.txt` and `tagmanifest-sha512.txt` — are derived from them, so
/// a bag written from this value is always complete and consistent.
public struct Bag: Sendable {
    /// One `Label: value` line of `bag-info.txt`.
    public struct Field: Sendable, Equatable {
        public let label: String
        public let value: String

        /// A field; line breaks in `value` become spaces (a value is one line here).
        public init(_ label: String, _ value: String) {
            self.label = label
            self.value = String(value.map { $0.isNewline ? " " : $0 })
        }
    }

    /// `bagit.txt`.
    public static let declaration = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    /// The payload folder.
    public static let payloadFolder = "data"

    /// The metadata of `bag-info.txt`, in order; `Payload-Oxum` is added when the bag is written.
    public var info: [Field]
    /// The payload files by path relative to the bag (`data/...`).
    public internal(set) var payload: [String: [UInt8]] = [:]

    public init(info: [Field] = []) {
        self.info = info
    }

    /// Adds a payload file at `data/` + `components`, each of which must be a safe path component.
    public mutating func add(_ bytes: [UInt8], at components: [String]) throws(BundleError) {
        for component in components where !BundleLayout.isSafeComponent(component) {
            throw .unsafePath(component)
        }
        let path = ([Self.payloadFolder] + components).joined(separator: "/")
        guard payload[path] == nil else { throw .duplicatePath(path) }
        payload[path] = bytes
    }

    /// Adds UTF-8 text as a payload file.
    public mutating func add(_ text: String, at components: [String]) throws(BundleError) {
        try add(Array(text.utf8), at: components)
    }

    /// The payload file at `data/` + `components`, if present.
    public func file(_ components: [String]) -> [UInt8]? {
        payload[([Self.payloadFolder] + components).joined(separator: "/")]
    }

    /// The first `bag-info.txt` value with this label (labels compare case-insensitively, as RFC 8493 asks).
    public func value(of label: String) -> String? {
        info.first { $0.label.lowercased() == label.lowercased() }?.value
    }

    /// `OCTETCOUNT.STREAMCOUNT` of the payload.
    public var payloadOxum: String {
        "\(payload.values.reduce(0) { $0 + $1.count }).\(payload.count)"
    }

    /// Every file of the bag, payload first in path order, then the tag files; the tag manifest last.
    public var files: [(path: String, bytes: [UInt8])] {
        let payloadFiles = payload.keys.sorted().map { ($0, payload[$0]!) }
        let bagInfo = (info.filter { $0.label.lowercased() != "payload-oxum" } + [Field("Payload-Oxum", payloadOxum)])
            .map { "\($0.label): \($0.value)\n" }.joined()
        let tags: [(path: String, bytes: [UInt8])] = [
            ("bagit.txt", Array(Self.declaration.utf8)),
            ("bag-info.txt", Array(bagInfo.utf8)),
            ("manifest-sha512.txt", Self.manifest(payloadFiles)),
        ]
        return payloadFiles + tags + [("tagmanifest-sha512.txt", Self.manifest(tags))]
    }

    /// A manifest: one `HEX  PATH` line per file (two spaces, as `sha512sum -c` reads it).
    static func manifest(_ files: [(path: String, bytes: [UInt8])]) -> [UInt8] {
        Array(files.map { SHA512.hash($0.bytes).hex + "  " + encodePath($0.path) + "\n" }.joined().utf8)
    }

    /// RFC 8493 §2.1.3: CR, LF and `%` in a manifest path are percent-encoded.
    static func encodePath(_ path: String) -> String {
        path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\n", with: "%0A")
            .replacingOccurrences(of: "\r", with: "%0D")
    }
}
