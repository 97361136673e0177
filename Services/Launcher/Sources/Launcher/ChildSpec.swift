import Contracts

/// One process the launcher runs: which service, which instance, and how to start it.
public struct ChildSpec: Sendable, Equatable {
    public var kind: ServiceKind
    public var instance: Int
    public var executable: String
    public var arguments: [String]
    public var socket: String

    public init(kind: ServiceKind, instance: Int, executable: String, arguments: [String], socket: String) {
        self.kind = kind
        self.instance = instance
        self.executable = executable
        self.arguments = arguments
        self.socket = socket
    }

    /// `storage-0`, `scoring-1`, ...
    public var name: String { "\(kind.rawValue)-\(instance)" }
}
