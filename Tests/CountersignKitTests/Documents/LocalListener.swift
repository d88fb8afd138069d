import Glibc

/// A TCP socket listening on 127.0.0.1 that records whether anyone connected: proof that a parse that was
/// handed `url` never touched the network.
final class LocalListener {
    private let socket: Int32
    let port: UInt16

    init() {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(socket >= 0, "socket failed")
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && listen(socket, 8) == 0
                    && getsockname(socket, generic, &length) == 0
            }
        }
        precondition(bound, "bind/listen failed")
        self.socket = socket
        port = UInt16(bigEndian: address.sin_port)
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
    }

    deinit { close(socket) }

    /// An http URL on this listener.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    /// Whether a connection is waiting to be accepted (accepts and closes it).
    var wasContacted: Bool {
        let connection = accept(socket, nil, nil)
        guard connection >= 0 else { return false }
        close(connection)
        return true
    }
}
