/// Where the files of a running system live: sockets in `sockets/` under the run directory.
public struct RunDirectory: Sendable, Equatable {
    /// The run directory.
    public let path: String

    public init(path: String) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// The folder holding every socket (mode 0700).
    public var socketsPath: String { "\(path)/sockets" }

    /// The socket of one service instance.
    public func socket(_ service: ServiceKind, instance: Int) -> String {
        "\(socketsPath)/\(service.socketName(instance: instance))"
    }

    /// The sockets of `count` instances of `service`.
    public func sockets(_ service: ServiceKind, count: Int) -> [String] {
        (0..<max(1, count)).map { socket(service, instance: $0) }
    }

    /// The launcher's own control socket.
    public var launcherSocket: String { "\(socketsPath)/launcher.sock" }
}
