/// What went wrong with a key, a signature or the crypto library, in words a user can act on.
public enum CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not a PEM Ed25519 key of the expected kind.
    case invalidPEM(String)
    /// Raw key bytes of the wrong length or shape.
    case invalidKey(String)
    /// A key file other users can read; refused as ssh does.
    case keyFileTooOpen(path: String, mode: Int)
    /// A key file that cannot be read (missing, a directory, no permission).
    case keyFileUnreadable(path: String, reason: String)
    /// A key file that would be overwritten without `--force`.
    case keyFileExists(path: String)
    /// libcrypto reported a failure; the message comes from its error queue.
    case library(String)
    /// A private key protected by a pass phrase (Countersign never prompts for one); `path` names
    /// the file when there is one.
    case encryptedKey(path: String?)

    public var description: String {
        switch self {
        case .invalidPEM(let detail): "not an Ed25519 PEM key: \(detail)"
        case .invalidKey(let detail): "invalid Ed25519 key: \(detail)"
        case .keyFileTooOpen(let path, let mode):
            "key file \(path) is readable by others (mode \(String(mode, radix: 8, uppercase: false).leftPadded(to: 4))); "
                + "run: chmod 600 \(path)"
        case .keyFileUnreadable(let path, let reason): "cannot read key file \(path): \(reason)"
        case .keyFileExists(let path): "key file \(path) already exists; pass --force to replace it"
        case .library(let detail): "libcrypto: \(detail)"
        case .encryptedKey(let path):
            "\(path.map { "key file \($0)" } ?? "the key") is encrypted with a pass phrase; Countersign reads "
                + "unencrypted PKCS#8 keys kept with mode 0600 and never prompts: decrypt a copy with "
                + "`openssl pkey -in \(path ?? "FILE") -out PLAIN.pem` and `chmod 600 PLAIN.pem`"
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
