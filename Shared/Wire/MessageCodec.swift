/// Turns Codable messages into bytes and back; the RPC layer is generic over it.
public protocol MessageCodec: Sendable {
    /// A short name for logs and benchmarks.
    var name: String { get }
    /// Appends the encoding of `value` to `buffer`.
    func encode<T: Encodable>(_ value: T, appendingTo buffer: inout [UInt8]) throws
    /// Decodes a value from `bytes`.
    func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T
}
