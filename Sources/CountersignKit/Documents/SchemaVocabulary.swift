internal import CLibXML2

/// The element and attribute names a set of XML Schema files declares, each with the namespace a
/// document puts it in, for `pipeline check`'s warning about an XPath step no valid document can match.
///
/// Read from the schema files as XML (every `xs:element` and `xs:attribute` with a `name`, anywhere
/// in a file): a global declaration is in the file's `targetNamespace`, a local one there too when its
/// `form` (or the schema's `elementFormDefault` / `attributeFormDefault`) is `qualified`, and in no
/// namespace otherwise. A wildcard (`xs:any`, `xs:anyAttribute`) admits names nobody declared, so it
/// marks the vocabulary open for that kind of name.
public struct SchemaVocabulary: Sendable {
    /// What a declared name names.
    public enum Kind: Hashable, Sendable {
        case element
        case attribute
    }

    /// A declared name: its kind, local name and namespace (`nil`: no namespace).
    public struct Name: Hashable, Sendable {
        public var kind: Kind
        public var local: String
        public var namespace: String?
    }

    /// Every name the files declare.
    public private(set) var names: Set<Name> = []
    /// The kinds a wildcard admits undeclared names of.
    public private(set) var open: Set<Kind> = []

    private static let xsd = "http://www.w3.org/2001/XMLSchema"

    /// Reads the declarations of `files` (schema files by path); throws the first file that is not XML.
    public init(files: [String: [UInt8]]) throws(DocumentError) {
        for (path, bytes) in files {
            let document = try XMLDocument(bytes: bytes, source: path)
            guard let root = xmlDocGetRootElement(document.tree.pointer), Self.isXSD(root, "schema") else { continue }
            let target = Self.attribute(root, "targetNamespace")
            let qualified: [Kind: Bool] = [
                .element: Self.attribute(root, "elementFormDefault") == "qualified",
                .attribute: Self.attribute(root, "attributeFormDefault") == "qualified",
            ]
            withExtendedLifetime(document) { visit(root, target: target, qualified: qualified) }
        }
    }

    /// The declarations with this kind and local name, in any namespace.
    public func declarations(_ kind: Kind, named local: String) -> [Name] {
        names.filter { $0.kind == kind && $0.local == local }
    }

    /// The local names of this kind, sorted (for suggestions).
    public func localNames(_ kind: Kind) -> [String] {
        Set(names.filter { $0.kind == kind }.map(\.local)).sorted()
    }

    /// Records the declarations below `node` (a schema's root): iterative, so no schema nests deep enough to
    /// matter (documents are bounded in depth anyway).
    private mutating func visit(_ root: xmlNodePtr, target: String?, qualified: [Kind: Bool]) {
        var stack: [xmlNodePtr] = [root]
        while let node = stack.popLast() {
            var child = node.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE { stack.append(current) }
                child = current.pointee.next
            }
            guard node != root, Self.isXSD(node, nil) else { continue }
            let local = String(cString: node.pointee.name)
            switch local {
            case "any": open.insert(.element)
            case "anyAttribute": open.insert(.attribute)
            case "element", "attribute":
                let kind: Kind = local == "element" ? .element : .attribute
                guard let name = Self.attribute(node, "name") else { continue }
                let global = node.pointee.parent.map { Self.isXSD($0, "schema") } ?? false
                let form = Self.attribute(node, "form").map { $0 == "qualified" } ?? qualified[kind, default: false]
                names.insert(Name(kind: kind, local: name, namespace: global || form ? target : nil))
            default: break
            }
        }
    }

    /// Whether `node` is an element of the XML Schema namespace (named `local`, when given).
    private static func isXSD(_ node: xmlNodePtr, _ local: String?) -> Bool {
        guard node.pointee.type == XML_ELEMENT_NODE, let ns = node.pointee.ns, let href = ns.pointee.href,
            String(cString: href) == xsd
        else { return false }
        return local.map { String(cString: node.pointee.name) == $0 } ?? true
    }

    /// The value of the unqualified attribute `name` of `node`, if present.
    private static func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        guard let value = xmlGetNoNsProp(node, name) else { return nil }
        defer { cs_xml_free(value) }
        return String(cString: value)
    }
}
