/// A typed RPC method: `service.v1/Method` with its request and response message types.
public struct MethodDescriptor<Request: Codable & Sendable, Response: Codable & Sendable>: Sendable, CustomStringConvertible {
    /// The versioned service name, for example `skills.v1`.
    public let service: String
    /// The method name, for example `Detect`.
    public let method: String
    /// `service/method`, the name on the wire.
    public let fullName: String

    public init(service: String, method: String) {
        self.service = service
        self.method = method
        self.fullName = "\(service)/\(method)"
    }

    public var description: String { fullName }
}
