import Wire
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fixed binary layout of an ``Envelope`` inside a frame: a few bytes of header ahead of the
/// message body, so routing a call never runs the (general, slower) message codec.
///
/// All integers little-endian:
/// ```
/// u8 kind (1 request, 2 response, 3 cancel), u64 id
/// request:  u16 method length, method UTF-8, i64 timeout in microseconds (-1: none),
///           u8 metadata field count, then per field: u8 tag (1 tenant, 2 principal, 3 trace id),
///           u16 length, UTF-8; then the body to the end of the frame
/// response: u8 status code, u16 message length, message UTF-8; then the body to the end
/// cancel:   nothing more
/// ```
public enum EnvelopeFormat {
    /// Appends `envelope` to `buffer`.
    public static func append(_ envelope: Envelope, to buffer: inout [UInt8]) {
        buffer.append(envelope.kind.rawValue)
        appendInteger(envelope.id, &buffer)
        switch envelope.kind {
        case .request:
            appendString(envelope.method ?? "", &buffer)
            appendInteger(UInt64(bitPattern: envelope.timeoutMicroseconds ?? -1), &buffer)
            appendMetadata(envelope.metadata ?? Metadata(), &buffer)
        case .response:
            buffer.append(envelope.status ?? 0)
            appendString(envelope.message ?? "", &buffer)
        case .cancel:
            return
        }
        buffer.append(contentsOf: envelope.body)
    }

    /// A whole request frame (length prefix included) whose body `writeBody` appends straight after
    /// the envelope header, with no intermediate copy. The id and timeout are stamped per attempt
    /// with ``RequestFrame/stamp(id:timeoutMicroseconds:)``. Throws ``FrameError`` when the frame is
    /// over `maxFrameSize`, and whatever `writeBody` throws.
    public static func requestFrame(
        method: String, metadata: Metadata, maxFrameSize: Int, reserving capacity: Int = 2048,
        _ writeBody: (inout [UInt8]) throws -> Void
    ) throws -> RequestFrame {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity)
        var timeoutOffset = 0
        try FrameEncoder.appendFrame(to: &bytes, maxFrameSize: maxFrameSize) { buffer in
            buffer.append(Envelope.Kind.request.rawValue)
            appendInteger(0, &buffer)
            appendString(method, &buffer)
            timeoutOffset = buffer.count
            appendInteger(UInt64(bitPattern: -1), &buffer)
            appendMetadata(metadata, &buffer)
            try writeBody(&buffer)
        }
        return RequestFrame(bytes: bytes, timeoutOffset: timeoutOffset)
    }

    /// Appends the header of a response envelope; the response body goes right after it.
    public static func appendResponseHeader(id: UInt64, status: UInt8, message: String?, to buffer: inout [UInt8]) {
        buffer.append(Envelope.Kind.response.rawValue)
        appendInteger(id, &buffer)
        buffer.append(status)
        appendString(message ?? "", &buffer)
    }

    /// A request envelope read in place: what a server needs to route a call without copying
    /// the body or allocating the method name.
    public struct RequestView {
        public var id: UInt64
        /// The method name's UTF-8 bytes.
        public var method: UnsafeRawBufferPointer
        /// nil for none.
        public var timeoutMicroseconds: Int64?
        public var metadata: Metadata
        public var body: UnsafeRawBufferPointer
    }

    /// The request envelope in `bytes` (valid while `bytes` is), or nil if they do not hold a
    /// well-formed request.
    public static func requestView(_ bytes: UnsafeRawBufferPointer) -> RequestView? {
        var reader = Reader(bytes: bytes)
        guard reader.byte() == Envelope.Kind.request.rawValue, let id = reader.integer(),
              let method = reader.rawString(), let timeout = reader.integer(), let metadata = reader.metadata() else { return nil }
        let micros = Int64(bitPattern: timeout)
        return RequestView(id: id, method: method, timeoutMicroseconds: micros < 0 ? nil : micros, metadata: metadata,
                           body: UnsafeRawBufferPointer(rebasing: bytes[reader.offset...]))
    }

    /// A response envelope read in place: what a client needs to hand the body to the message
    /// codec without copying it.
    public struct ResponseView {
        public var id: UInt64
        public var status: UInt8
        /// nil for none (empty).
        public var message: String?
        public var body: UnsafeRawBufferPointer
    }

    /// The response envelope in `bytes` (valid while `bytes` is), or nil if they do not hold a
    /// well-formed response (as ``decode(_:)-(UnsafeRawBufferPointer)`` would say).
    public static func responseView(_ bytes: UnsafeRawBufferPointer) -> ResponseView? {
        var reader = Reader(bytes: bytes)
        guard reader.byte() == Envelope.Kind.response.rawValue, let id = reader.integer(),
              let status = reader.byte(), let message = reader.string() else { return nil }
        return ResponseView(id: id, status: status, message: message.isEmpty ? nil : message,
                            body: UnsafeRawBufferPointer(rebasing: bytes[reader.offset...]))
    }

    /// The envelope in `bytes`, or nil if they are not a well-formed envelope.
    public static func decode(_ bytes: [UInt8]) -> Envelope? {
        bytes.withUnsafeBytes { decode($0) }
    }

    /// The envelope in `bytes` (read in place; the body is copied out once), or nil if they are not
    /// a well-formed envelope.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> Envelope? {
        var reader = Reader(bytes: bytes)
        guard let rawKind = reader.byte(), let kind = Envelope.Kind(rawValue: rawKind), let id = reader.integer() else { return nil }
        var envelope = Envelope(kind: kind, id: id)
        switch kind {
        case .request:
            guard let method = reader.string(), let timeout = reader.integer(), let metadata = reader.metadata() else { return nil }
            envelope.method = method
            let micros = Int64(bitPattern: timeout)
            envelope.timeoutMicroseconds = micros < 0 ? nil : micros
            envelope.metadata = metadata
        case .response:
            guard let status = reader.byte(), let message = reader.string() else { return nil }
            envelope.status = status
            envelope.message = message.isEmpty ? nil : message
        case .cancel:
            return reader.offset == bytes.count ? envelope : nil
        }
        envelope.body = Array(UnsafeRawBufferPointer(rebasing: bytes[reader.offset...]))
        return envelope
    }

    private static func appendMetadata(_ metadata: Metadata, _ buffer: inout [UInt8]) {
        buffer.append(UInt8(metadata.tenant == nil ? 0 : 1) + (metadata.principal == nil ? 0 : 1) + (metadata.traceID == nil ? 0 : 1))
        appendField(1, metadata.tenant, &buffer)
        appendField(2, metadata.principal, &buffer)
        appendField(3, metadata.traceID, &buffer)
    }

    private static func appendField(_ tag: UInt8, _ value: String?, _ buffer: inout [UInt8]) {
        guard let value else { return }
        buffer.append(tag)
        appendString(value, &buffer)
    }

    private static func appendInteger(_ value: UInt64, _ buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private static func appendString(_ value: String, _ buffer: inout [UInt8]) {
        // Copied in one go from the string's contiguous UTF-8 (native and small strings); byte by
        // byte only for a bridged one.
        let done: Void? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            appendLengthPrefixed(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8.prefix(Int(UInt16.max)))), &buffer)
        }
        if done != nil { return }
        let utf8 = value.utf8.prefix(Int(UInt16.max))
        let count = UInt16(utf8.count)
        buffer.append(UInt8(truncatingIfNeeded: count))
        buffer.append(UInt8(truncatingIfNeeded: count >> 8))
        buffer.append(contentsOf: utf8)
    }

    private static func appendLengthPrefixed(_ bytes: UnsafeRawBufferPointer, _ buffer: inout [UInt8]) {
        let count = UInt16(bytes.count)
        buffer.append(UInt8(truncatingIfNeeded: count))
        buffer.append(UInt8(truncatingIfNeeded: count >> 8))
        buffer.append(contentsOf: bytes)
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        /// A count, then that many (tag, value) fields; unknown tags from a newer peer are skipped.
        mutating func metadata() -> Metadata? {
            guard let count = byte() else { return nil }
            var metadata = Metadata()
            for _ in 0..<count {
                guard let tag = byte(), let value = string() else { return nil }
                switch tag {
                case 1: metadata.tenant = value
                case 2: metadata.principal = value
                case 3: metadata.traceID = value
                default: break
                }
            }
            return metadata
        }

        mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func integer() -> UInt64? {
            guard bytes.count - offset >= 8 else { return nil }
            let value = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
            return value
        }

        mutating func string() -> String? {
            rawString().flatMap(Self.validatedString)
        }

        /// A length-prefixed string's bytes, not validated.
        mutating func rawString() -> UnsafeRawBufferPointer? {
            guard bytes.count - offset >= 2 else { return nil }
            let count = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
            offset += 2
            guard bytes.count - offset >= count else { return nil }
            defer { offset += count }
            return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        }

        /// The UTF-8 in `raw` as a string, nil if it is not valid. `String(decoding:)` is the
        /// stdlib's fast path (the generic `String(validating:as:)` pays metadata look-ups on every
        /// call) but repairs invalid input, so non-ASCII input must come back byte for byte.
        static func validatedString(_ raw: UnsafeRawBufferPointer) -> String? {
            if raw.isEmpty { return "" }
            let utf8 = raw.assumingMemoryBound(to: UInt8.self)
            let string = String(decoding: utf8, as: UTF8.self)
            if utf8.allSatisfy({ $0 < 0x80 }) { return string }
            var copy = string
            let same = copy.withUTF8 { $0.count == utf8.count && memcmp($0.baseAddress!, utf8.baseAddress!, utf8.count) == 0 }
            return same ? string : nil
        }
    }
}

/// A request frame built once per call and sent on each attempt with that attempt's id and
/// remaining time written in place.
public struct RequestFrame: Sendable {
    /// The whole frame, length prefix included.
    public private(set) var bytes: [UInt8]
    /// Where the timeout field starts in `bytes`.
    let timeoutOffset: Int

    /// Offset of the id in `bytes`: after the 4-byte length and the kind byte.
    private static let idOffset = 5

    /// Writes the id and the timeout (microseconds; negative for none) into the frame.
    public mutating func stamp(id: UInt64, timeoutMicroseconds: Int64) {
        let timeoutOffset = self.timeoutOffset
        bytes.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: id.littleEndian, toByteOffset: Self.idOffset, as: UInt64.self)
            raw.storeBytes(of: UInt64(bitPattern: timeoutMicroseconds).littleEndian, toByteOffset: timeoutOffset, as: UInt64.self)
        }
    }
}
