import Foundation

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

    private enum CodingKeys: String, CodingKey {
        case kind, id, method, timeoutMicroseconds, metadata, status, message, body
    }

    // The body travels as `Data`: raw bytes in the binary codec, base64 in JSON (not an array of numbers).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(Kind.self, forKey: .kind)
        id = try container.decode(UInt64.self, forKey: .id)
        method = try container.decodeIfPresent(String.self, forKey: .method)
        timeoutMicroseconds = try container.decodeIfPresent(Int64.self, forKey: .timeoutMicroseconds)
        metadata = try container.decodeIfPresent(Metadata.self, forKey: .metadata)
        status = try container.decodeIfPresent(UInt8.self, forKey: .status)
        message = try container.decodeIfPresent(String.self, forKey: .message)
        body = [UInt8](try container.decode(Data.self, forKey: .body))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(method, forKey: .method)
        try container.encodeIfPresent(timeoutMicroseconds, forKey: .timeoutMicroseconds)
        try container.encodeIfPresent(metadata, forKey: .metadata)
        try container.encodeIfPresent(status, forKey: .status)
        try container.encodeIfPresent(message, forKey: .message)
        try container.encode(Data(body), forKey: .body)
    }
}
