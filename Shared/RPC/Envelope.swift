/// What one frame carries: a request, a response or a cancellation, with the message body as bytes.
public struct Envelope: Codable, Sendable, Equatable {
    /// The kind of frame.
    public enum Kind: UInt8, Codable, Sendable {
        case request = 1
        case response = 2
        case cancel = 3
    }

    /// Request, response or cancel.
    public var kind: Kind
    /// Chosen by the client, unique among its in-flight calls on one connection.
    public var id: UInt64
    /// `service.v1/Method` (requests only).
    public var method: String?
    /// Remaining time of the caller's deadline in microseconds (requests only; nil for none).
    public var timeoutMicroseconds: Int64?
    /// Tenant, principal, trace id (requests only).
    public var metadata: Metadata?
    /// The numeric status code (responses only).
    public var status: UInt8?
    /// The status message (responses with a non-OK status).
    public var message: String?
    /// The encoded request or response message.
    public var body: [UInt8]

    public init(
        kind: Kind, id: UInt64, method: String? = nil, timeoutMicroseconds: Int64? = nil,
        metadata: Metadata? = nil, status: UInt8? = nil, message: String? = nil, body: [UInt8] = []
    ) {
        self.kind = kind
        self.id = id
        self.method = method
        self.timeoutMicroseconds = timeoutMicroseconds
        self.metadata = metadata
        self.status = status
        self.message = message
        self.body = body
    }
}
