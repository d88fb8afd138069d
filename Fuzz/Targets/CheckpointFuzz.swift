import CountersignKit

/// Checkpoint bodies (`Checkpoint(body:)`): a checkpoint read, written and read again is the same,
/// its body is the text read, and its extension values (log time, case-map root) read the same.
enum CheckpointFuzz {
    static let target = FuzzTarget(
        name: "checkpoint",
        dictionary: "text",
        seeds: [Array(FuzzFixtures.checkpoint.body.utf8)]
    ) { bytes throws(FuzzFailure) in
        guard let text = String(validating: bytes, as: UTF8.self), let checkpoint = try? Checkpoint(body: text) else {
            return
        }
        try FuzzFailure.expect(checkpoint.body == text, "the checkpoint's body is not the text read")
        guard let again = try? Checkpoint(body: checkpoint.body) else {
            throw FuzzFailure("the written checkpoint is refused")
        }
        try FuzzFailure.expect(
            again == checkpoint && again.logTime == checkpoint.logTime && again.caseMapRoot == checkpoint.caseMapRoot,
            "the checkpoint read back differs from the one written"
        )
    }
}
