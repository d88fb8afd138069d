import Foundation

extension Bag {
    /// The manifest algorithms read: RFC 8493 names them by their lowercase names.
    private static let algorithms: [String: @Sendable ([UInt8]) -> Digest] = [
        "sha256": { SHA256.hash($0) },
        "sha512": { SHA512.hash($0) },
    ]

    /// The largest file of a bag that is read (2 GiB): a bag's files are read into memory whole.
    static let maximumFileSize = Int(Int32.max)

    /// Reads the bag in `directory` and checks it as RFC 8493 §3 asks: `bagit.txt` declares
    /// version 1.0 in UTF-8; every payload file is listed in every payload manifest and every
    /// listed file exists with that checksum; every file a tag manifest lists matches; and the
    /// `Payload-Oxum`, when present, matches. Symbolic links and paths that leave the bag are
    /// refused. Throws `BundleError.invalidBag` with every problem found.
    public static func read(from directory: URL) throws(BundleError) -> Bag {
        let root = directory.standardizedFileURL
        var problems: [String] = []
        let paths = try listFiles(in: root, problems: &problems)
        var cache: [String: [UInt8]] = [:]
        func contents(_ path: String) throws(BundleError) -> [UInt8] {
            if let cached = cache[path] { return cached }
            let file = root.appendingPathComponent(path).path
            do {
                let bytes = try RegularFile.read(file, limit: maximumFileSize)
                cache[path] = bytes
                return bytes
            } catch {
                switch error {
                case .tooLarge(let size):
                    throw .unreadable(
                        path: file,
                        reason: "\(size) bytes, over the \(maximumFileSize) a bag file may have"
                    )
                case .unreadable(let reason): throw .unreadable(path: file, reason: reason)
                }
            }
        }

        if paths.contains("bagit.txt") {
            problems += declarationProblems(try contents("bagit.txt"))
        } else {
            problems.append("bagit.txt is missing")
        }
        let payloadPaths = paths.filter { $0.hasPrefix(payloadFolder + "/") }
        let manifests = paths.filter { !$0.contains("/") && $0.hasPrefix("manifest-") && $0.hasSuffix(".txt") }.sorted()
        if manifests.isEmpty { problems.append("no payload manifest (manifest-sha512.txt) is present") }
        for manifest in manifests {
            problems += try manifestProblems(
                manifest,
                lines: try contents(manifest),
                expected: payloadPaths,
                isPayload: true,
                contents: contents
            )
        }
        let tagManifests = paths.filter { !$0.contains("/") && $0.hasPrefix("tagmanifest-") && $0.hasSuffix(".txt") }
        for manifest in tagManifests.sorted() {
            problems += try manifestProblems(
                manifest,
                lines: try contents(manifest),
                expected: nil,
                isPayload: false,
                contents: contents
            )
        }

        var bag = Bag(info: paths.contains("bag-info.txt") ? parseFields(try contents("bag-info.txt")) : [])
        for path in payloadPaths.sorted() { bag.payload[path] = try contents(path) }
        if let oxum = bag.value(of: "Payload-Oxum"), oxum != bag.payloadOxum {
            problems.append(
                "bag-info.txt states Payload-Oxum \(oxum), but the payload is \(bag.payloadOxum) (octets.files)"
            )
        }
        guard problems.isEmpty else { throw .invalidBag(problems) }
        return bag
    }

    /// `Label: value` lines; a line starting with a space or tab continues the previous value.
    static func parseFields(_ bytes: [UInt8]) -> [Field] {
        var fields: [Field] = []
        for line in lines(bytes) {
            if let first = line.first, first == " " || first == "\t", let last = fields.popLast() {
                fields.append(Field(last.label, last.value + " " + line.trimmingCharacters(in: .whitespaces)))
            } else if let colon = line.firstIndex(of: ":") {
                fields.append(
                    Field(
                        String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                        String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                    )
                )
            }
        }
        return fields
    }

    /// Every regular file under `root`, relative, with `/` separators; anything else is a problem.
    private static func listFiles(in root: URL, problems: inout [String]) throws(BundleError) -> Set<String> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .unreadable(path: root.path, reason: "no such folder")
        }
        let keys: [URLResourceKey] = [.isRegularFileKey, .isDirectoryKey, .isSymbolicLinkKey]
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys) else {
            throw .unreadable(path: root.path, reason: "the folder cannot be listed")
        }
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        var files: Set<String> = []
        for case let url as URL in enumerator {
            let path = String(url.standardizedFileURL.path.dropFirst(prefix.count))
            let values = try? url.resourceValues(forKeys: Set(keys))
            if values?.isSymbolicLink == true {
                problems.append("\(path) is a symbolic link; a bag holds only regular files")
                enumerator.skipDescendants()
            } else if values?.isRegularFile == true {
                files.insert(path)
            } else if values?.isDirectory != true {
                problems.append("\(path) is not a regular file")
            }
        }
        return files
    }

    private static func declarationProblems(_ bytes: [UInt8]) -> [String] {
        let fields = parseFields(bytes)
        var problems: [String] = []
        let version = fields.first { $0.label == "BagIt-Version" }?.value
        if version != "1.0" {
            problems.append("bagit.txt must declare BagIt-Version: 1.0 (found \(version ?? "none"))")
        }
        let encoding = fields.first { $0.label == "Tag-File-Character-Encoding" }?.value
        if encoding?.uppercased() != "UTF-8" {
            problems.append("bagit.txt must declare Tag-File-Character-Encoding: UTF-8 (found \(encoding ?? "none"))")
        }
        return problems
    }

    /// Checks one manifest: its algorithm, each line's form and path, each listed file's checksum,
    /// and for a payload manifest that it lists exactly `expected`.
    private static func manifestProblems(
        _ name: String,
        lines bytes: [UInt8],
        expected: Set<String>?,
        isPayload: Bool,
        contents: (String) throws(BundleError) -> [UInt8]
    ) throws(BundleError) -> [String] {
        let algorithm = String(name.dropFirst(isPayload ? "manifest-".count : "tagmanifest-".count).dropLast(4))
        guard let hash = algorithms[algorithm] else {
            return ["\(name): checksum algorithm '\(algorithm)' is not supported (use sha512 or sha256)"]
        }
        var problems: [String] = []
        var listed: Set<String> = []
        for line in lines(bytes) where !line.isEmpty {
            guard let space = line.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
                problems.append("\(name): line \"\(line)\" is not CHECKSUM PATH")
                continue
            }
            let checksum = line[..<space].lowercased()
            let path = decodePath(String(line[space...].drop { $0 == " " || $0 == "\t" }))
            let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard components.allSatisfy(BundleLayout.isSafeComponent),
                (components.first == payloadFolder) == isPayload, path != name
            else {
                problems.append("\(name): path \"\(path)\" is not allowed there (it must stay inside the bag)")
                continue
            }
            guard listed.insert(path).inserted else {
                problems.append("\(name): \(path) is listed twice")
                continue
            }
            if let expected, !expected.contains(path) {
                problems.append("\(path) is listed in \(name) but missing from the bag")
            } else if expected == nil, (try? contents(path)) == nil {
                problems.append("\(path) is listed in \(name) but missing from the bag")
            } else if hash(try contents(path)).hex != checksum {
                problems.append("\(path): its \(algorithm.uppercased()) does not match \(name) (the file was changed)")
            }
        }
        for path in (expected ?? []).sorted() where !listed.contains(path) {
            problems.append("\(path) is in the bag but not listed in \(name)")
        }
        return problems
    }

    /// RFC 8493 §2.1.3, reversed.
    private static func decodePath(_ path: String) -> String {
        path.replacingOccurrences(of: "%0A", with: "\n", options: .caseInsensitive)
            .replacingOccurrences(of: "%0D", with: "\r", options: .caseInsensitive)
            .replacingOccurrences(of: "%25", with: "%")
    }

    /// The lines of a UTF-8 tag file, each without its LF, CR or CRLF ending.
    private static func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(omittingEmptySubsequences: false) {
            $0 == "\n" || $0 == "\r\n" || $0 == "\r"
        }
        .map(String.init)
    }
}
