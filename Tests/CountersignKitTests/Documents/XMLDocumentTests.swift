import CountersignKit
import Foundation
import Glibc
import Testing

@Suite("Parsing XML documents safely")
struct XMLDocumentTests {
    /// Parses `text`, expecting a `DocumentError`, and returns it.
    private func refusal(_ text: String, limits: XMLLimits = .default) throws -> DocumentError {
        do {
            _ = try XMLDocument(bytes: Array(text.utf8), source: "case.xml", limits: limits)
        } catch {
            return error
        }
        Issue.record("accepted: \(text)")
        throw CancellationError()
    }

    /// Every way the error could reach a person or a log.
    private func renderings(_ error: DocumentError) -> [String] {
        [error.description, String(reflecting: error), "\(error)"]
    }

    @Test("an external entity (XXE) is refused before anything is read, and the secret never appears")
    func externalEntity() throws {
        let error = try refusal("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<x>&e;</x>")
        guard case .entityDeclaration(let location, let name) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(name == "e")
        #expect(location.file == "case.xml" && location.line == 1)
        #expect(error.description.contains("declares entity 'e'"))
        #expect(error.description.contains("refused"))
        for text in renderings(error) { #expect(!text.contains("root:")) }
    }

    @Test(
        "entity declarations, external DTDs, attribute defaults and undeclared entities are refused",
        arguments: [
            ("<!DOCTYPE x [<!ENTITY e \"plain\">]><x>&e;</x>", "declares entity 'e'"),
            ("<!DOCTYPE x [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><x/>", "declares entity 'p'"),
            ("<!DOCTYPE x [<!ENTITY u SYSTEM \"/etc/passwd\" NDATA n>]><x/>", "declares entity 'u'"),
            ("<!DOCTYPE x SYSTEM \"/etc/passwd\"><x/>", "external DTD /etc/passwd"),
            ("<!DOCTYPE x PUBLIC \"-//X//DTD X//EN\" \"file:///etc/passwd\"><x/>", "external DTD file:///etc/passwd"),
            ("<!DOCTYPE x [<!ATTLIST x xmlns CDATA \"urn:sneaky\">]><x/>", "default value"),
            ("<!DOCTYPE x [ %undeclared; ]><x>&e;</x>", "PEReference: %undeclared; not found"),
            ("<x>&e;</x>", "Entity 'e' not defined"),
        ]
    )
    func dtdRefusals(text: String, expected: String) throws {
        let error = try refusal(text)
        #expect(error.description.contains(expected), "\(error)")
        for rendering in renderings(error) { #expect(!rendering.contains("root:")) }
    }

    @Test("a DOCTYPE that only declares elements is accepted")
    func harmlessDoctype() throws {
        let document = try XMLDocument(
            bytes: Array("<!DOCTYPE x [<!ELEMENT x (#PCDATA)>]><x>t</x>".utf8),
            source: "x.xml"
        )
        #expect(try document.canonicalBytes() == Array("<x>t</x>".utf8))
    }

    @Test("network DTDs and entities are refused without a connection ever being made")
    func noNetwork() throws {
        let listener = LocalListener()
        let cases = [
            "<!DOCTYPE x SYSTEM \"\(listener.url("x.dtd"))\"><x/>",
            "<!DOCTYPE x [<!ENTITY e SYSTEM \"\(listener.url("e"))\">]><x>&e;</x>",
            "<!DOCTYPE x [<!ENTITY % p SYSTEM \"\(listener.url("p.dtd"))\"> %p;]><x/>",
        ]
        for text in cases {
            let error = try refusal(text)
            #expect(error.description.contains("nothing was"), "\(error)")
        }
        #expect(!listener.wasContacted)
        // The listener does notice a connection.
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = listener.port.bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        defer { close(client) }
        #expect(connected == 0)
        #expect(listener.wasContacted)
    }

    @Test("billion laughs is refused at its first declaration, quickly")
    func billionLaughs() throws {
        var dtd = "<!ENTITY lol0 \"lol\">"
        for level in 1...9 {
            dtd += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
        }
        let text = "<!DOCTYPE lolz [\(dtd)]><lolz>&lol9;</lolz>"
        var error: DocumentError?
        let elapsed = ContinuousClock().measure { error = try? refusal(text) }
        #expect(error?.description.contains("declares entity 'lol0'") == true, "\(String(describing: error))")
        #expect(elapsed < .milliseconds(100))
    }

    @Test("a malformed document names the source, line and column")
    func malformed() throws {
        let error = try refusal("<a>\n  <b>\n</a>")
        guard case .malformed(let problem) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(problem.file == "case.xml")
        #expect(problem.line == 3)
        #expect(problem.column != nil)
        #expect(error.description.hasPrefix("case.xml:3:"))
        #expect(error.description.contains("not well-formed"))
    }

    @Test("empty input and stray bytes are refused", arguments: ["", "   ", "<a>\u{0}</a>", "text", "<a></a><b/>"])
    func notADocument(text: String) throws {
        let error = try refusal(text)
        #expect(error.description.contains("case.xml"))
    }

    @Test("a relative namespace URI is refused, since canonical XML cannot process it")
    func relativeNamespace() throws {
        let error = try refusal("<a xmlns=\"relative/path\"/>")
        #expect(error.description.contains("absolute"), "\(error)")
    }

    @Test("depth is bounded: 256 levels by default, fewer when asked")
    func depthBound() throws {
        let nested = { (depth: Int) in
            String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
        }
        _ = try XMLDocument(bytes: Array(nested(256).utf8), source: "deep.xml")
        let error = try refusal(nested(257))
        #expect(error.description.contains("deeper than 256"), "\(error)")
        let limits = XMLLimits(maxBytes: 1 << 20, maxDepth: 3)
        _ = try XMLDocument(bytes: Array(nested(3).utf8), source: "deep.xml", limits: limits)
        guard case .tooDeep(let location, let limit) = try refusal(nested(4), limits: limits) else {
            Issue.record("depth 4 not refused as too deep")
            return
        }
        #expect(limit == 3)
        #expect(location.line == 1 && location.column > 9)
        #expect(try refusal(nested(100_000)).description.contains("deeper than 256"))
    }

    @Test("size is bounded before parsing, and the default admits a 50 MB document")
    func sizeBound() throws {
        let text = "<a>" + String(repeating: "x", count: 93) + "</a>"
        #expect(text.utf8.count == 100)
        _ = try XMLDocument(bytes: Array(text.utf8), source: "s.xml", limits: XMLLimits(maxBytes: 100, maxDepth: 8))
        let error = try refusal(text, limits: XMLLimits(maxBytes: 99, maxDepth: 8))
        #expect(error == .tooLarge(source: "case.xml", size: 100, limit: 99))
        #expect(error.description.contains("over the limit of 99 bytes"))
        #expect(XMLLimits.default.maxBytes > 50_000_000)
    }

    @Test("a file is read with its path as the source; a missing or oversized file says so")
    func files() throws {
        let folder = try ScratchFolder()
        let file = try folder.write(Array("<a>\n<b></a>".utf8), to: "broken.xml")
        #expect(throws: DocumentError.self) { try XMLDocument(contentsOf: file) }
        do {
            _ = try XMLDocument(contentsOf: file)
        } catch {
            #expect(error.description.hasPrefix(file.path + ":2:"), "\(error)")
        }
        let tooLarge = XMLLimits(maxBytes: 10, maxDepth: 8)
        #expect(throws: DocumentError.tooLarge(source: file.path, size: 11, limit: 10)) {
            try XMLDocument(contentsOf: file, limits: tooLarge)
        }
        let missing = folder.url.appendingPathComponent("missing.xml")
        do {
            _ = try XMLDocument(contentsOf: missing)
            Issue.record("a missing file parsed")
        } catch {
            #expect(error == .unreadable(path: missing.path, reason: "no such file"))
        }
    }

    @Test("a file that keeps growing is cut off once it passes the size bound")
    func streamedSizeBound() throws {
        let folder = try ScratchFolder()
        let fifo = folder.url.appendingPathComponent("endless.xml")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "{ printf '<a>'; yes x; } > \"$1\" 2>/dev/null", "-", fifo.path]
        try writer.run()
        defer { writer.terminate() }
        do {
            _ = try XMLDocument(contentsOf: fifo, limits: XMLLimits(maxBytes: 10_000, maxDepth: 8))
            Issue.record("an endless document was accepted")
        } catch {
            guard case .tooLarge(let source, let size, let limit) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(source == fifo.path && size > limit && limit == 10_000)
        }
    }

    @Test("a directory is not a document")
    func directory() throws {
        let folder = try ScratchFolder()
        #expect {
            try XMLDocument(contentsOf: folder.url)
        } throws: { error in
            guard case DocumentError.unreadable(let path, _) = error else { return false }
            return path == folder.url.path
        }
    }

    @Test("one document can be fingerprinted from many threads at once")
    func concurrentFingerprints() async throws {
        let file = try #require(Corpus.documents(in: "ubl").first)
        let document = try XMLDocument(contentsOf: file)
        let expected = try document.fingerprint()
        let results = await withTaskGroup(of: Fingerprint?.self) { group in
            for _ in 0..<16 { group.addTask { try? document.fingerprint() } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0 == expected })
    }
}
