import Foundation
import Glibc

/// A real PostgreSQL server for this test process: `initdb` into a fresh temporary folder, started
/// on a free loopback port (its Unix socket in that folder), stopped and removed at process exit.
/// Started once, on first use, and shared by every test; each test asks for its own database.
///
/// PostgreSQL refuses to run as root, so when the tests run as root (CI) the server binaries run
/// as the `postgres` user the Debian package creates, owning the folder. Tests connect over TCP as
/// `countersign` with a password (scram-sha-256); `psql` reaches the server over the socket.
public final class PostgresServer: Sendable {
    /// The superuser every test connects as.
    public static let user = "countersign"
    public let password: String
    public let port: Int
    /// Holds `data/` (the cluster), `server.log`, the password file and the Unix socket.
    public let folder: String
    /// The folder of `initdb`, `pg_ctl` and `psql`.
    private let binaries: String
    /// How server binaries are run: `runuser -u postgres --` when root, else nothing.
    private let runAs: [String]

    private static let shared = Result { try PostgresServer(shared: true) }

    /// The server, started on first use; throws `SetupError` (with the way out) if it cannot start.
    public static func running() throws -> PostgresServer {
        try shared.get()
    }

    /// Starts a new server; the `shared` one is stopped at process exit, any other when released.
    private init(shared: Bool) throws {
        binaries = try Self.binaryFolder()
        let name = "countersign-pg-\(UUID().uuidString)"
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        password = UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try password.write(toFile: "\(folder)/password", atomically: false, encoding: .utf8)
        runAs = try Self.unprivilegedPrefix(owning: [folder, "\(folder)/password"])
        try Self.run(
            runAs + [
                "\(binaries)/initdb", "--pgdata=\(folder)/data", "--username=\(Self.user)",
                "--pwfile=\(folder)/password", "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8",
                "--no-locale", "--no-sync",
            ],
            in: folder
        )
        port = try Self.start(binaries: binaries, folder: folder, runAs: runAs)
        if shared {
            atexit {
                if case .success(let server) = PostgresServer.shared { server.stop() }
            }
        }
    }

    /// A server of its own, for a test that stops and restarts it under a running command (the
    /// shared one never stops); stopped and removed when released.
    public static func dedicated() throws -> PostgresServer {
        try PostgresServer(shared: false)
    }

    deinit {
        stop()
    }

    /// Stops the server at once, as a crash would (`pg_ctl stop -m immediate`), keeping its data.
    public func halt() throws {
        try Self.run(
            runAs + ["\(binaries)/pg_ctl", "stop", "--pgdata=\(folder)/data", "--mode=immediate", "--wait"],
            in: folder
        )
    }

    /// Starts the halted server again on the same port.
    public func restart() throws {
        try Self.start(port: port, binaries: binaries, folder: folder, runAs: runAs)
    }

    /// Starts the server on a port the kernel just called free; tries again on a new port if another
    /// process took it meanwhile.
    private static func start(binaries: String, folder: String, runAs: [String]) throws -> Int {
        var failure: (any Error)?
        for _ in 0..<3 {
            let port = try freePort()
            do {
                try start(port: port, binaries: binaries, folder: folder, runAs: runAs)
                return port
            } catch {
                failure = error
            }
        }
        let log = (try? String(contentsOfFile: "\(folder)/server.log", encoding: .utf8)) ?? ""
        throw SetupError.failed("pg_ctl start: \(failure.map { "\($0)" } ?? "")\n\(log.suffix(2_000))")
    }

    /// Starts the server on `port` and waits until it accepts connections. `fsync` is off: the tests
    /// check order and atomicity, not what survives a power cut, and the machine is shared.
    private static func start(port: Int, binaries: String, folder: String, runAs: [String]) throws {
        let settings = [
            "listen_addresses=127.0.0.1", "port=\(port)", "unix_socket_directories=\(folder)",
            "fsync=off", "max_connections=60", "shared_buffers=32MB",
        ]
        try run(
            runAs + [
                "\(binaries)/pg_ctl", "start", "--pgdata=\(folder)/data", "--log=\(folder)/server.log",
                "--wait", "--timeout=60", "--options=" + settings.map { "-c \($0)" }.joined(separator: " "),
            ],
            in: folder
        )
    }

    /// Stops the server at once (`pg_ctl stop -m immediate`) and removes its folder.
    private func stop() {
        _ = try? Self.run(
            runAs + ["\(binaries)/pg_ctl", "stop", "--pgdata=\(folder)/data", "--mode=immediate", "--wait"],
            in: folder
        )
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Creates a new, empty database and returns its name.
    public func createDatabase() throws -> String {
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try execute("CREATE DATABASE \(name)", in: "postgres")
        return name
    }

    /// The libpq URI of `database` over TCP; the right password unless told otherwise.
    public func url(database: String, password: String? = nil, port: Int? = nil) -> String {
        "postgres://\(Self.user):\(password ?? self.password)@127.0.0.1:\(port ?? self.port)/\(database)"
    }

    /// Runs `sql` in `database` through `psql`, as the superuser, stopping at the first error.
    public func execute(_ sql: String, in database: String) throws {
        try Self.run(
            [
                "\(binaries)/psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--host=\(folder)",
                "--port=\(port)", "--username=\(Self.user)", "--dbname=\(database)", "--command=\(sql)",
            ],
            in: folder
        )
    }

    /// A loopback TCP port nothing listens on: bound to port 0, read back, released.
    public static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw SetupError.failed("socket: errno \(errno)") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw SetupError.failed("bind to a free loopback port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The newest `/usr/lib/postgresql/VERSION/bin` holding the server binaries.
    private static func binaryFolder() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let folders = versions.compactMap(Int.init).sorted(by: >).map { "\(root)/\($0)/bin" }
        guard let folder = folders.first(where: { FileManager.default.isExecutableFile(atPath: "\($0)/initdb") })
        else { throw SetupError.notInstalled }
        return folder
    }

    /// When running as root: hands `paths` to the `postgres` user and returns the `runuser` prefix
    /// that runs a command as that user. Otherwise the server runs as the current user.
    private static func unprivilegedPrefix(owning paths: [String]) throws -> [String] {
        guard geteuid() == 0 else { return [] }
        guard let user = getpwnam("postgres") else { throw SetupError.notInstalled }
        for path in paths where chown(path, user.pointee.pw_uid, user.pointee.pw_gid) != 0 {
            throw SetupError.failed("chown \(path) to postgres: errno \(errno)")
        }
        let runuser = ["/usr/sbin/runuser", "/sbin/runuser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let runuser else { throw SetupError.failed("runuser (util-linux) not found: cannot drop root") }
        return [runuser, "-u", "postgres", "--"]
    }

    /// Runs `command` in `folder` and waits for it; throws with its output if it fails.
    ///
    /// Not `Process`: that one learns of an exit when every holder of a socket it passes down has
    /// closed it, and `pg_ctl start` leaves the server holding it. Here the child gets /dev/null,
    /// the output pipe and no other descriptor of this process, and is reaped with `waitpid`.
    @discardableResult
    private static func run(_ command: [String], in folder: String) throws -> String {
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { throw SetupError.failed("pipe: errno \(errno)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 2)
        let inherited = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in inherited.compactMap(Int32.init) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        // `env --chdir`: the server binaries must not start in a folder their user cannot read.
        let arguments = (["/usr/bin/env", "--chdir=\(folder)"] + command).map { strdup($0) } + [nil]
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0)=\($1)") } + [nil]
        defer { (arguments + environment).forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, nil, arguments, environment)
        close(pipe[1])
        let output = FileHandle(fileDescriptor: pipe[0], closeOnDealloc: true).readDataToEndOfFile()
        guard spawned == 0 else { throw SetupError.failed("cannot run \(command[0]): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let text = String(decoding: output, as: UTF8.self)
        guard status == 0 else {
            throw SetupError.failed("\(command.joined(separator: " ")) failed (wait status \(status)): \(text)")
        }
        return text
    }

    /// Why the server could not start.
    public enum SetupError: Error, CustomStringConvertible {
        case notInstalled
        case failed(String)

        public var description: String {
            switch self {
            case .notInstalled:
                "the PostgreSQL tests need a PostgreSQL server: no /usr/lib/postgresql/VERSION/bin/initdb "
                    + "(or no user postgres) here; install the Debian package `postgresql` (`make test` does)"
            case .failed(let reason): "could not start the test PostgreSQL server: \(reason)"
            }
        }
    }
}
