/// A method of one service: a ``MethodDescriptor`` tagged with `Service`, the type that declares the
/// service's contract (for example `StorageContract`). The tag is never instantiated; it only lets the
/// compiler match the method with a ``ServiceClient`` of the same service.
///
/// ``StandardMethods`` (health, info, echo), which every service answers, stay plain descriptors.
public struct ServiceMethod<Service, Request: Codable & Sendable, Response: Codable & Sendable>: Sendable, CustomStringConvertible {
    /// The untyped method, as a server registers it and the wire names it.
    public let descriptor: MethodDescriptor<Request, Response>

    public init(service: String, method: String) {
        self.descriptor = MethodDescriptor(service: service, method: method)
    }

    /// The versioned service name, for example `skills.v1`.
    public var service: String { descriptor.service }
    /// The method name, for example `Detect`.
    public var method: String { descriptor.method }
    /// `service/method`, the name on the wire.
    public var fullName: String { descriptor.fullName }

    public var description: String { descriptor.fullName }
}
