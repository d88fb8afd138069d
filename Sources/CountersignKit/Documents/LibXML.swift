internal import CLibXML2
import Foundation

/// The process-wide libxml2 set-up, made once, thread-safely, before Countersign's first libxml2 call.
enum LibXML {
    /// Touch (`_ = LibXML.ready`) before calling libxml2: initialises the library and installs
    /// `loadExternal` as its entity loader.
    static let ready: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader(loadExternal)
    }()

    /// An `XMLProblem` from one of libxml2's structured errors, naming `file` when libxml2 names none.
    static func problem(from error: xmlError, file: String) -> XMLProblem {
        let message = error.message.map { String(cString: $0) } ?? "unknown libxml2 error"
        return XMLProblem(
            file: error.file.map { String(cString: $0) } ?? file,
            line: error.line > 0 ? Int(error.line) : nil,
            column: error.int2 > 0 ? Int(error.int2) : nil,
            message: message.trimmingCharacters(in: .whitespacesAndNewlines)
        )
    }

    /// Whether libxml2 ranks the error as an error (not a warning).
    static func isError(_ error: xmlError) -> Bool {
        error.level.rawValue >= XML_ERR_ERROR.rawValue
    }
}

/// The only way libxml2 loads anything from outside the bytes it was given, for the whole process.
///
/// A Countersign document parse (its context's `_private` is set) gets nothing at all: no external DTD,
/// no external entity, from anywhere. Anything else is a schema document being read by the schema
/// parser (the main file, `xs:include`, `xs:import`, `xs:redefine`, `xs:override`): it gets what the
/// calling thread's `SchemaScope` serves, checked, and nothing else — never the network, never a file
/// outside the scope, never a catalog. A refusal is reported to the thread's error handler as an error,
/// which fails the schema load (libxml2 itself only warns about an import it could not read).
private func loadExternal(
    url: UnsafePointer<CChar>?,
    id: UnsafePointer<CChar>?,
    context: xmlParserCtxtPtr?
) -> xmlParserInputPtr? {
    guard let url, let context, context.pointee._private == nil else { return nil }
    switch SchemaScope.lookup(String(cString: url)) {
    case .file(let path, let bytes):
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cs_input_from_memory(context, url, chars.baseAddress, Int32(chars.count))
            }
        }
            ?? {
                reportToThread("cannot read schema file \(path)")
                return nil
            }()
    case .refused(let message):
        reportToThread(message)
        return nil
    }
}

/// Hands `message` to the calling thread's structured error handler, if one is installed.
private func reportToThread(_ message: String) {
    guard let handler = __xmlStructuredError().pointee else { return }
    message.withCString { text in
        var error = xmlError()
        error.domain = Int32(XML_FROM_IO.rawValue)
        error.code = Int32(XML_IO_LOAD_ERROR.rawValue)
        error.level = XML_ERR_ERROR
        error.message = UnsafeMutablePointer(mutating: text)
        handler(__xmlStructuredErrorContext().pointee, &error)
    }
}
