internal import CLibXML2

/// Collects the errors libxml2 reports during one operation through its structured error handler.
final class XMLErrorLog {
    /// The file to name when libxml2 names none.
    private let file: String
    /// The errors seen so far, warnings left out.
    private(set) var problems: [XMLProblem] = []

    init(file: String) {
        self.file = file
    }

    /// The user data to hand libxml2 along with `handler`; valid while `self` is alive.
    var userData: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// The structured error handler; its user data is an `XMLErrorLog`.
    static let handler: xmlStructuredErrorFunc = { userData, error in
        guard let userData, let error, LibXML.isError(error.pointee) else { return }
        let log = Unmanaged<XMLErrorLog>.fromOpaque(userData).takeUnretainedValue()
        log.problems.append(LibXML.problem(from: error.pointee, file: log.file))
    }

    /// Runs `body` with this log as the calling thread's libxml2 error handler, then restores the previous one.
    ///
    /// Only for libxml2 code that has no per-context handler (C14N, and the parser the schema loader runs on
    /// its files). libxml2 keeps this handler per thread, so other threads are unaffected.
    func capturingThreadErrors<T>(_ body: () -> T) -> T {
        let savedHandler = __xmlStructuredError().pointee
        let savedContext = __xmlStructuredErrorContext().pointee
        xmlSetStructuredErrorFunc(userData, Self.handler)
        defer { xmlSetStructuredErrorFunc(savedContext, savedHandler) }
        return withExtendedLifetime(self) { body() }
    }
}
