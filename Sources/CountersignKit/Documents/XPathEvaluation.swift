internal import CLibXML2

/// One compilation or evaluation of an XPath expression: owns its own libxml2 XPath context, so
/// concurrent evaluations share nothing mutable.
///
/// Variables resolve through a lookup hook to the given documents' nodes; functions resolve through a hook
/// that turns an unknown name into an error naming it. Errors land in the context's own `lastError`.
final class XPathEvaluation {
    private let context: xmlXPathContextPtr
    /// The context's document: empty, as no document is the context; libxml2 2.9 walks the
    /// `ancestor` axes by comparing with it and dereferences it, so it must not be null.
    private let emptyDocument: xmlDocPtr
    private let expression: String
    private let documents: [String: XMLDocument]
    private var unboundVariable: String?
    private var unknownFunction: String?

    init(expression: String, documents: [String: XMLDocument]) {
        _ = LibXML.ready
        guard let emptyDocument = xmlNewDoc(nil), let context = xmlXPathNewContext(emptyDocument) else {
            preconditionFailure("libxml2 could not allocate an XPath context")
        }
        self.emptyDocument = emptyDocument
        self.context = context
        self.expression = expression
        self.documents = documents
        context.pointee.error = { _, _ in }
        let userData = Unmanaged.passUnretained(self).toOpaque()
        xmlXPathRegisterVariableLookup(context, Self.lookUpVariable, userData)
        xmlXPathRegisterFuncLookup(context, Self.lookUpFunction, userData)
    }

    deinit {
        xmlXPathFreeContext(context)
        xmlFreeDoc(emptyDocument)
    }

    /// Compiles the expression and throws its syntax error, if any.
    func check() throws(DocumentError) {
        xmlXPathFreeCompExpr(try compile())
    }

    /// Compiles and evaluates the expression.
    func evaluate() throws(DocumentError) -> XPathValue {
        let compiled = try compile()
        defer { xmlXPathFreeCompExpr(compiled) }
        guard let result = xmlXPathCompiledEval(compiled, context) else {
            throw evaluationError()
        }
        defer { xmlXPathFreeObject(result) }
        return Self.value(of: result)
    }

    private func compile() throws(DocumentError) -> xmlXPathCompExprPtr {
        if let problem = lexicalProblem() { throw syntaxError(offset: problem.offset, message: problem.message) }
        guard let compiled = xmlXPathCtxtCompile(context, expression) else {
            let error = context.pointee.lastError
            throw syntaxError(offset: Int(error.int1), message: Self.message(forCode: error.code))
        }
        return compiled
    }

    /// What libxml2 would mishandle, found in one pass over the bytes: a NUL (libxml2 would stop reading
    /// there), or outside string literals a `$prefix:name` variable (only plain names are bound, and libxml2
    /// prints an undefined prefix to stderr instead of reporting it).
    private func lexicalProblem() -> (offset: Int, message: String)? {
        let bytes = Array(expression.utf8)
        var quote: UInt8?
        for (index, byte) in bytes.enumerated() {
            if byte == 0 { return (index, "NUL character") }
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "$") {
                let name = bytes[(index + 1)...].prefix(while: Self.isNameByte)
                if !name.isEmpty, name.endIndex < bytes.count, bytes[name.endIndex] == UInt8(ascii: ":") {
                    return (index, "a variable cannot have a namespace prefix; documents are bound as $name")
                }
            }
        }
        return nil
    }

    /// Whether `byte` can occur in an XPath name (any non-ASCII byte counts: libxml2 checks those itself).
    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), 0x80...:
            true
        default: false
        }
    }

    private func syntaxError(offset: Int, message: String) -> DocumentError {
        let bytes = expression.utf8.prefix(max(0, offset))
        let column = String(decoding: bytes, as: UTF8.self).unicodeScalars.count + 1
        return .xpathSyntax(expression: expression, column: column, message: message)
    }

    private func evaluationError() -> DocumentError {
        if let unknownFunction { return .unknownFunction(expression: expression, name: unknownFunction) }
        if let unboundVariable { return .unboundVariable(expression: expression, name: unboundVariable) }
        let message = Self.message(forCode: context.pointee.lastError.code)
        return .xpathEvaluation(expression: expression, message: message)
    }

    private static func evaluation(_ data: UnsafeMutableRawPointer?) -> XPathEvaluation {
        Unmanaged<XPathEvaluation>.fromOpaque(data!).takeUnretainedValue()
    }

    /// `$name` is the named document's node, as a fresh node-set libxml2 then owns; any other name is unbound.
    private static let lookUpVariable: xmlXPathVariableLookupFunc = { data, name, namespaceURI in
        let evaluation = evaluation(data)
        let name = name.map { String(cString: $0) } ?? ""
        guard namespaceURI == nil, let document = evaluation.documents[name] else {
            if evaluation.unboundVariable == nil { evaluation.unboundVariable = name }
            return nil
        }
        return xmlXPathNewNodeSet(document.tree.node)
    }

    /// Known functions fall through to libxml2's own table; an unknown one is recorded and answered with a
    /// function that raises the error, instead of libxml2 printing to the process-wide error stream.
    private static let lookUpFunction: xmlXPathFuncLookupFunc = { data, name, namespaceURI in
        let evaluation = evaluation(data)
        guard xmlHashLookup2(evaluation.context.pointee.funcHash, name, namespaceURI) == nil else { return nil }
        if evaluation.unknownFunction == nil { evaluation.unknownFunction = name.map { String(cString: $0) } ?? "" }
        return { parserContext, _ in xmlXPathErr(parserContext, Int32(XPATH_UNKNOWN_FUNC_ERROR.rawValue)) }
    }

    private static func value(of result: xmlXPathObjectPtr) -> XPathValue {
        switch result.pointee.type {
        case XPATH_NUMBER: return .number(result.pointee.floatval)
        case XPATH_BOOLEAN: return .boolean(result.pointee.boolval != 0)
        case XPATH_STRING: return .string(result.pointee.stringval.map { String(cString: $0) } ?? "")
        default:
            let nodes = result.pointee.nodesetval
            let text = xmlXPathCastNodeSetToString(nodes)
            defer { cs_xml_free(text) }
            return .nodeSet(count: Int(nodes?.pointee.nodeNr ?? 0), stringValue: text.map { String(cString: $0) } ?? "")
        }
    }

    /// Words for libxml2's XPath error codes (its own messages are not exported).
    private static func message(forCode code: Int32) -> String {
        switch xmlXPathError(rawValue: UInt32(bitPattern: code - Int32(XML_XPATH_EXPRESSION_OK.rawValue))) {
        case XPATH_NUMBER_ERROR: "malformed number"
        case XPATH_UNFINISHED_LITERAL_ERROR: "string literal not closed"
        case XPATH_START_LITERAL_ERROR: "expected a string literal"
        case XPATH_VARIABLE_REF_ERROR: "expected a variable name after '$'"
        case XPATH_UNDEF_VARIABLE_ERROR: "undefined variable"
        case XPATH_INVALID_PREDICATE_ERROR: "invalid predicate"
        case XPATH_EXPR_ERROR: "invalid expression"
        case XPATH_UNCLOSED_ERROR: "missing closing bracket"
        case XPATH_UNKNOWN_FUNC_ERROR: "unknown function"
        case XPATH_INVALID_OPERAND: "invalid operand"
        case XPATH_INVALID_TYPE: "argument of the wrong type"
        case XPATH_INVALID_ARITY: "wrong number of arguments"
        case XPATH_UNDEF_PREFIX_ERROR: "undefined namespace prefix"
        case XPATH_ENCODING_ERROR: "not valid UTF-8"
        case XPATH_INVALID_CHAR_ERROR: "character not allowed in XML"
        case XPATH_MEMORY_ERROR: "out of memory"
        case XPATH_OP_LIMIT_EXCEEDED, XPATH_RECURSION_LIMIT_EXCEEDED: "too complex to evaluate"
        default: "libxml2 XPath error \(code)"
        }
    }
}
