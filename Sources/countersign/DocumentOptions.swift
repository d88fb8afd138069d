import ArgumentParsing
import CountersignKit
import Foundation

/// `--doc NAME=FILE`, repeatable: documents attached to a signature.
enum DocumentOptions {
    static let spec = ArgumentSpec.option(
        "doc",
        value: "NAME=FILE",
        repeating: true,
        help: "attach an XML document under the pipeline's document NAME"
    )

    static func uploads(_ arguments: ParsedArguments, context: CommandContext) throws -> [DocumentUpload] {
        try uploads(arguments.values("doc"), as: "--doc", context: context, command: arguments.spec)
    }

    /// The documents `values` name, each `NAME=FILE`; `label` names them in a usage error.
    static func uploads(
        _ values: [String],
        as label: String,
        context: CommandContext,
        command: CommandSpec
    ) throws -> [DocumentUpload] {
        try values.map { value in
            guard let equals = value.firstIndex(of: "="), equals != value.startIndex else {
                throw UsageError("\(label) expects NAME=FILE, got '\(value)'", command: command)
            }
            let name = String(value[..<equals])
            let file = String(value[value.index(after: equals)...])
            guard let bytes = FileManager.default.contents(atPath: context.resolve(file)) else {
                throw EnvironmentError("cannot read document file \(file)")
            }
            return DocumentUpload(name: name, bytes: Array(bytes), source: file)
        }
    }
}
