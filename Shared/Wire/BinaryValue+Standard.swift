import Foundation

// The standard types as `BinaryValue`s: the same bytes as `BinaryEncoderImpl.encodeValue` writes for
// them and the same reads as `BinaryDecoderImpl.decodeValue` (see `BinaryFormat`).

extension String: BinaryValue {
    public func write(to output: BinaryValueWriter) { output.writer.writeString(self) }
    public static func read(from input: inout BinaryValueReader) throws -> String {
        try input.reader.readString(&input.offset, input.end)
    }
}

extension Bool: BinaryValue {
    public func write(to output: BinaryValueWriter) { output.writer.writeBool(self) }
    public static func read(from input: inout BinaryValueReader) throws -> Bool {
        try input.reader.readBool(&input.offset, input.end)
    }
}

extension Double: BinaryValue {
    public func write(to output: BinaryValueWriter) { output.writer.writeDouble(self) }
    public static func read(from input: inout BinaryValueReader) throws -> Double {
        try input.reader.readDouble(&input.offset, input.end)
    }
}

extension Float: BinaryValue {
    public func write(to output: BinaryValueWriter) { output.writer.writeFloat(self) }
    public static func read(from input: inout BinaryValueReader) throws -> Float {
        try input.reader.readFloat(&input.offset, input.end)
    }
}

/// Seconds since 1970 as a Float64.
extension Date: BinaryValue {
    public func write(to output: BinaryValueWriter) { output.writer.writeDouble(timeIntervalSince1970) }
    public static func read(from input: inout BinaryValueReader) throws -> Date {
        Date(timeIntervalSince1970: try input.reader.readDouble(&input.offset, input.end))
    }
}

/// Bytes (tag 8).
extension Data: BinaryValue {
    public func write(to output: BinaryValueWriter) { withUnsafeBytes { output.writer.writeBytes($0) } }
    public static func read(from input: inout BinaryValueReader) throws -> Data {
        let bytes = try input.reader.readBytes(&input.offset, input.end, as: Data.self)
        return bytes.isEmpty ? Data() : Data(bytes)
    }
}

// Signed integers are tag 3, unsigned tag 4; either reads into any type the value fits.
// (`UInt8` is left out so that `[UInt8]` stays bytes: see `BinaryKeyedWriter.encode(_:forKey:)`.)

extension Int: BinaryValue {
    public func write(to output: BinaryValueWriter) { output.writer.writeSigned(Int64(self)) }
    public static func read(from input: inout BinaryValueReader) throws -> Int {
        try input.reader.readInteger(Int.self, &input.offset, input.end)
    }
}

extension Int8: BinaryValue {
    public func write(to output: BinaryValueWriter) { output.writer.writeSigned(Int64(self)) }
    public static func read(from input: inout BinaryValueReader) throws -> Int8 {
        try input.reader.readInteger(Int8.self, &input.offset, input.end)
    }
}

extension Int16: BinaryValue {
    public func write(to output: BinaryValueWriter) { output.writer.writeSigned(Int64(self)) }
    public static func read(from input: inout BinaryValueReader) throws -> Int16 {
        try input.reader.readInteger(Int16.self, &input.offset, input.end)
    }
}

extension Int32: BinaryValue {
    public func write(to output: BinaryValueWriter) { output.writer.writeSigned(Int64(self)) }
    public static func read(from input: inout BinaryValueReader) throws -> Int32 {
        try input.reader.readInteger(Int32.self, &input.offset, input.end)
    }
}

extension Int64: BinaryValue {
    public func write(to output: BinaryValueWriter) { output.writer.writeSigned(self) }
    public static func read(from input: inout BinaryValueReader) throws -> Int64 {
        try input.reader.readInteger(Int64.self, &input.offset, input.end)
    }
}

extension UInt: BinaryValue {
    public func write(to output: BinaryValueWriter) { output.writer.writeUnsigned(UInt64(self)) }
    public static func read(from input: inout BinaryValueReader) throws -> UInt {
        try input.reader.readInteger(UInt.self, &input.offset, input.end)
    }
}

extension UInt16: BinaryValue {
    public func write(to output: BinaryValueWriter) { output.writer.writeUnsigned(UInt64(self)) }
    public static func read(from input: inout BinaryValueReader) throws -> UInt16 {
        try input.reader.readInteger(UInt16.self, &input.offset, input.end)
    }
}

extension UInt32: BinaryValue {
    public func write(to output: BinaryValueWriter) { output.writer.writeUnsigned(UInt64(self)) }
    public static func read(from input: inout BinaryValueReader) throws -> UInt32 {
        try input.reader.readInteger(UInt32.self, &input.offset, input.end)
    }
}

extension UInt64: BinaryValue {
    public func write(to output: BinaryValueWriter) { output.writer.writeUnsigned(self) }
    public static func read(from input: inout BinaryValueReader) throws -> UInt64 {
        try input.reader.readInteger(UInt64.self, &input.offset, input.end)
    }
}

/// An array (tag 9) of its elements.
extension Array: BinaryValue where Element: BinaryValue {
    @inlinable
    public func write(to output: BinaryValueWriter) {
        let lengthOffset = output.beginArray(count: count)
        for element in self { element.write(to: output) }
        output.end(lengthOffset)
    }

    @inlinable
    public static func read(from input: inout BinaryValueReader) throws -> [Element] {
        var container = try input.openArray(stride: MemoryLayout<Element>.stride)
        var result: [Element] = []
        result.reserveCapacity(container.capacity)
        for _ in 0..<container.count {
            result.append(try Element.read(from: &container.body))
        }
        return result
    }
}

/// A keyed container (tag 10) keyed by the dictionary's keys; a key written twice: the last value wins.
extension Dictionary: BinaryValue where Key == String, Value: BinaryValue {
    @inlinable
    public func write(to output: BinaryValueWriter) {
        let lengthOffset = output.beginKeyed(count: count)
        for (key, value) in self {
            output.writeKey(key)
            value.write(to: output)
        }
        output.end(lengthOffset)
    }

    @inlinable
    public static func read(from input: inout BinaryValueReader) throws -> [String: Value] {
        var container = try input.openKeyed(stride: MemoryLayout<(String, Value)>.stride)
        // Sized at once (`reserveCapacity` on an empty dictionary allocates, then reallocates).
        var result = [String: Value](minimumCapacity: container.capacity)
        for _ in 0..<container.count {
            let key = try container.body.readKey()
            result.updateValue(try Value.read(from: &container.body), forKey: key)
        }
        return result
    }
}
