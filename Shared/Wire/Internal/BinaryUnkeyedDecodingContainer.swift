/// The unkeyed container (tag 9) of one `BinaryDecoderImpl`: a cursor over its elements.
struct BinaryUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let impl: BinaryDecoderImpl
    let reader: BinaryReader
    /// Where the next element starts.
    private var offset: Int
    private let bodyEnd: Int
    private let total: Int
    private(set) var currentIndex: Int = 0

    init(impl: BinaryDecoderImpl, header: BinaryReader.ContainerHeader) {
        self.impl = impl
        self.reader = impl.reader
        self.offset = header.bodyStart
        self.bodyEnd = header.bodyEnd
        self.total = header.count
    }

    var codingPath: [any CodingKey] { impl.codingPath }
    var count: Int? { total }
    var isAtEnd: Bool { currentIndex >= total }

    @inline(__always)
    private func checkNotAtEnd(_ type: Any.Type) throws {
        if _slowPath(currentIndex >= total) {
            throw atEndError(type)
        }
    }

    @inline(never)
    private func atEndError(_ type: Any.Type) -> DecodingError {
        .valueNotFound(type, .init(
            codingPath: impl.codingPath(appending: BinaryCodingKey(index: currentIndex)),
            debugDescription: "Unkeyed container is at end."))
    }

    /// The end of the current element; throws `dataCorrupted` if it is malformed.
    @inline(__always)
    private func currentEnd() throws -> Int {
        let end = reader.skip(offset, bodyEnd)
        if _slowPath(end < 0) {
            throw impl.convert(BinaryReadError.corrupted(reader.malformedDescription(at: offset, bodyEnd)), BinaryCodingKey(index: currentIndex))
        }
        return end
    }

    mutating func decodeNil() throws -> Bool {
        try checkNotAtEnd(Never.self)
        guard offset < bodyEnd else {
            throw impl.convert(BinaryReadError.corrupted(reader.malformedDescription(at: offset, bodyEnd)), BinaryCodingKey(index: currentIndex))
        }
        if reader.byte(offset) == BinaryFormat.tagNil {
            offset &+= 1
            currentIndex &+= 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        try checkNotAtEnd(type)
        do {
            let value = try reader.readBool(&offset, bodyEnd)
            currentIndex &+= 1
            return value
        } catch {
            throw impl.convert(error, BinaryCodingKey(index: currentIndex))
        }
    }

    mutating func decode(_ type: String.Type) throws -> String {
        try checkNotAtEnd(type)
        do {
            let value = try reader.readString(&offset, bodyEnd)
            currentIndex &+= 1
            return value
        } catch {
            throw impl.convert(error, BinaryCodingKey(index: currentIndex))
        }
    }

    mutating func decode(_ type: Double.Type) throws -> Double {
        try checkNotAtEnd(type)
        do {
            let value = try reader.readDouble(&offset, bodyEnd)
            currentIndex &+= 1
            return value
        } catch {
            throw impl.convert(error, BinaryCodingKey(index: currentIndex))
        }
    }

    mutating func decode(_ type: Float.Type) throws -> Float {
        try checkNotAtEnd(type)
        do {
            let value = try reader.readFloat(&offset, bodyEnd)
            currentIndex &+= 1
            return value
        } catch {
            throw impl.convert(error, BinaryCodingKey(index: currentIndex))
        }
    }

    mutating func decode(_ type: Int.Type) throws -> Int {
        try checkNotAtEnd(type)
        do {
            let value = try reader.readInteger(Int.self, &offset, bodyEnd)
            currentIndex &+= 1
            return value
        } catch {
            throw impl.convert(error, BinaryCodingKey(index: currentIndex))
        }
    }

    mutating func decode(_ type: Int8.Type) throws -> Int8 {
        try checkNotAtEnd(type)
        do {
            let value = try reader.readInteger(Int8.self, &offset, bodyEnd)
            currentIndex &+= 1
            return value
        } catch {
            throw impl.convert(error, BinaryCodingKey(index: currentIndex))
        }
    }

    mutating func decode(_ type: Int16.Type) throws -> Int16 {
        try checkNotAtEnd(type)
        do {
            let value = try reader.readInteger(Int16.self, &offset, bodyEnd)
            currentIndex &+= 1
            return value
        } catch {
            throw impl.convert(error, BinaryCodingKey(index: currentIndex))
        }
    }

    mutating func decode(_ type: Int32.Type) throws -> Int32 {
        try checkNotAtEnd(type)
        do {
            let value = try reader.readInteger(Int32.self, &offset, bodyEnd)
            currentIndex &+= 1
            return value
        } catch {
            throw impl.convert(error, BinaryCodingKey(index: currentIndex))
        }
    }

    mutating func decode(_ type: Int64.Type) throws -> Int64 {
        try checkNotAtEnd(type)
        do {
            let value = try reader.readInteger(Int64.self, &offset, bodyEnd)
            currentIndex &+= 1
            return value
        } catch {
            throw impl.convert(error, BinaryCodingKey(index: currentIndex))
        }
    }

    mutating func decode(_ type: Int128.Type) throws -> Int128 {
        try checkNotAtEnd(type)
        do {
            let value = try reader.readInt128(&offset, bodyEnd)
            currentIndex &+= 1
            return value
        } catch {
            throw impl.convert(error, BinaryCodingKey(index: currentIndex))
        }
    }

    mutating func decode(_ type: UInt.Type) throws -> UInt {
        try checkNotAtEnd(type)
        do {
            let value = try reader.readInteger(UInt.self, &offset, bodyEnd)
            currentIndex &+= 1
            return value
        } catch {
            throw impl.convert(error, BinaryCodingKey(index: currentIndex))
        }
    }

    mutating func decode(_ type: UInt8.Type) throws -> UInt8 {
        try checkNotAtEnd(type)
        do {
            let value = try reader.readInteger(UInt8.self, &offset, bodyEnd)
            currentIndex &+= 1
            return value
        } catch {
            throw impl.convert(error, BinaryCodingKey(index: currentIndex))
        }
    }

    mutating func decode(_ type: UInt16.Type) throws -> UInt16 {
        try checkNotAtEnd(type)
        do {
            let value = try reader.readInteger(UInt16.self, &offset, bodyEnd)
            currentIndex &+= 1
            return value
        } catch {
            throw impl.convert(error, BinaryCodingKey(index: currentIndex))
        }
    }

    mutating func decode(_ type: UInt32.Type) throws -> UInt32 {
        try checkNotAtEnd(type)
        do {
            let value = try reader.readInteger(UInt32.self, &offset, bodyEnd)
            currentIndex &+= 1
            return value
        } catch {
            throw impl.convert(error, BinaryCodingKey(index: currentIndex))
        }
    }

    mutating func decode(_ type: UInt64.Type) throws -> UInt64 {
        try checkNotAtEnd(type)
        do {
            let value = try reader.readInteger(UInt64.self, &offset, bodyEnd)
            currentIndex &+= 1
            return value
        } catch {
            throw impl.convert(error, BinaryCodingKey(index: currentIndex))
        }
    }

    mutating func decode(_ type: UInt128.Type) throws -> UInt128 {
        try checkNotAtEnd(type)
        do {
            let value = try reader.readUInt128(&offset, bodyEnd)
            currentIndex &+= 1
            return value
        } catch {
            throw impl.convert(error, BinaryCodingKey(index: currentIndex))
        }
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try checkNotAtEnd(type)
        let end = try currentEnd()
        let value = try impl.decodeChild(type, start: offset, end: end, component: .index(currentIndex))
        offset = end
        currentIndex &+= 1
        return value
    }

    /// A decoder for the current element, which is then consumed.
    private mutating func nextDecoder(_ type: Any.Type) throws -> BinaryDecoderImpl {
        try checkNotAtEnd(type)
        let end = try currentEnd()
        let decoder = try impl.child(start: offset, end: end, component: .index(currentIndex))
        offset = end
        currentIndex &+= 1
        return decoder
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try nextDecoder(type).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try nextDecoder([Any].self).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        try nextDecoder(Any.self)
    }
}
