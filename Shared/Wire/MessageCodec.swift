/// Turns Codable messages into bytes and back; the RPC layer is generic over it.
public protocol MessageCodec: Sendable {
    /// A short name for logs and benchmarks.
    var name: String { get }
    /// Appends the encoding of `value` to `buffer`.
    func encode<T: Encodable>(_ value: T, appendingTo buffer: inout [UInt8]) throws
    /// Decodes a value from `bytes`.
    func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T
    /// Decodes a value from `bytes` read in place (valid only during the call).
    func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T
}

extension MessageCodec {
    /// Copies the bytes into an array; codecs that can read in place override it.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        try decode(type, from: [UInt8](bytes))
    }
}
