/// The executables of the system, in start order.
public enum ServiceKind: String, CaseIterable, Codable, Sendable {
    case storage
    case skills
    case scoring
    case gateway

    /// The executable's file name.
    public var executableName: String { "smart-ticket-\(rawValue)" }

    /// The socket file of instance `instance` inside the run directory's socket folder.
    public func socketName(instance: Int) -> String { "\(rawValue)-\(instance).sock" }
}
