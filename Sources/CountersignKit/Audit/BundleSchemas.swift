import Foundation

/// The XML Schema files a pipeline loads — those its documents declare and every file they
/// `xs:include`, `xs:import`, `xs:redefine` or `xs:override` — read from the pipeline's folder so a
/// bundle can carry them beside `pipeline.yaml`: a pipeline does not load without its schemas.
enum BundleSchemas {
    /// Folder and file names of the bundle that a schema may not take.
    static let reservedNames: Set<String> = [
        BundleLayout.partiesFolder, BundleLayout.entriesFolder, BundleLayout.proofsFolder,
        BundleLayout.documentsFolder, BundleLayout.pipeline[0], BundleLayout.checkpoint[0], BundleLayout.report[0],
        BundleLayout.guide[0],
    ]

    /// The `schemaLocation` attributes of a schema document bound as `$schema`.
    private static let references =
        "$schema//*[namespace-uri() = 'http://www.w3.org/2001/XMLSchema']"
        + "[local-name() = 'include' or local-name() = 'import' or local-name() = 'redefine' "
        + "or local-name() = 'override']/@schemaLocation"

    /// Every schema file of `pipeline`, as path components relative to the pipeline file, with its bytes.
    static func files(
        of pipeline: Pipeline,
        in directory: URL
    ) throws(BundleError) -> [(
        components: [String], bytes: [UInt8]
    )] {
        var pending = pipeline.documents.compactMap(\.schemaPath).map { (path: $0, relativeTo: [String]()) }
        var found: [[String]: [UInt8]] = [:]
        while let next = pending.popLast() {
            let components = try resolve(next.path, in: next.relativeTo)
            guard found[components] == nil else { continue }
            let path = components.joined(separator: "/")
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: directory.appendingPathComponent(path)))
            } catch {
                throw .unbundlableSchema(path: path, reason: error.localizedDescription)
            }
            found[components] = bytes
            // A location with a scheme (`http:`) is never fetched by the schema loader, so never bundled.
            for location in try locations(in: bytes, path: path) where !location.contains(":") {
                pending.append((location, Array(components.dropLast())))
            }
        }
        return found.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { ($0, found[$0]!) }
    }

    /// `path` resolved against the folder `base`, as components that stay inside the pipeline folder.
    private static func resolve(_ path: String, in base: [String]) throws(BundleError) -> [String] {
        guard !path.hasPrefix("/") else {
            throw .unbundlableSchema(path: path, reason: "an absolute path; give it relative to the pipeline file")
        }
        var components = base
        for component in path.split(separator: "/") where component != "." {
            if component == ".." {
                guard components.popLast() != nil else {
                    throw .unbundlableSchema(path: path, reason: "it lies outside the pipeline's folder")
                }
            } else {
                components.append(String(component))
            }
        }
        guard !components.isEmpty, components.allSatisfy(BundleLayout.isSafeComponent) else {
            throw .unbundlableSchema(path: path, reason: "it is not a file path inside the pipeline's folder")
        }
        guard !reservedNames.contains(components[0]) else {
            throw .unbundlableSchema(path: path, reason: "'\(components[0])' is a name the bundle itself uses")
        }
        return components
    }

    /// The `schemaLocation` of every include, import, redefine and override in a schema file.
    private static func locations(in bytes: [UInt8], path: String) throws(BundleError) -> [String] {
        do {
            let documents = ["schema": try XMLDocument(bytes: bytes, source: path)]
            guard case .nodeSet(let count, _) = try XPathExpression(references).evaluate(with: documents) else {
                return []
            }
            return try (0..<count).map { offset throws(DocumentError) in
                let nth = try XPathExpression("string((\(references))[\(offset + 1)])")
                return try nth.evaluate(with: documents).stringValue
            }
        } catch {
            throw .unbundlableSchema(path: path, reason: "\(error)")
        }
    }
}
