/// The compact binary codec (``BinaryEncoder``/``BinaryDecoder``) as a message codec.
public struct BinaryMessageCodec: MessageCodec {
    public var name: String { "binary" }

    public init() {}

    public func encode<T: Encodable>(_ value: T, appendingTo buffer: inout [UInt8]) throws {
        try BinaryEncoder().encode(value, appendingTo: &buffer)
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try BinaryDecoder().decode(type, from: bytes)
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        try BinaryDecoder().decode(type, from: bytes)
    }
}
