/// The keyed container (tag 10) of one `BinaryDecoderImpl`, which holds the lookup state (see
/// `BinaryDecoderImpl.find`). Unknown keys are ignored; keys may come in any order.
struct BinaryKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    /// The only stored property, so the stdlib's type-erasing box copies it cheaply.
    let impl: BinaryDecoderImpl

    init(impl: BinaryDecoderImpl) {
        self.impl = impl
    }

    private var reader: BinaryReader { impl.reader }

    var codingPath: [any CodingKey] { impl.codingPath }

    var allKeys: [Key] {
        impl.allKeyStrings().compactMap { Key(stringValue: $0) }
    }

    func contains(_ key: Key) -> Bool {
        guard let found = try? impl.find(key) else { return false }
        return found.start >= 0
    }

    /// The value of `key`; throws `keyNotFound` if there is none.
    @inline(__always)
    private func require(_ key: Key, _ type: Any.Type) throws -> (start: Int, end: Int) {
        let found = try impl.find(key)
        guard found.start >= 0 else { throw keyNotFound(key) }
        return found
    }

    @inline(never)
    private func keyNotFound(_ key: Key) -> DecodingError {
        .keyNotFound(key, .init(
            codingPath: impl.codingPath,
            debugDescription: "No value associated with key \(key.stringValue.debugDescription)."))
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        let (start, _) = try require(key, Never.self)
        return reader.byte(start) == BinaryFormat.tagNil
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        let (start, end) = try require(key, type)
        var offset = start
        do { return try reader.readBool(&offset, end) } catch { throw impl.convert(error, key) }
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        let (start, end) = try impl.find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        var offset = start
        do { return try reader.readBool(&offset, end) } catch { throw impl.convert(error, key) }
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        let (start, end) = try require(key, type)
        var offset = start
        do { return try reader.readString(&offset, end) } catch { throw impl.convert(error, key) }
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        let (start, end) = try impl.find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        var offset = start
        do { return try reader.readString(&offset, end) } catch { throw impl.convert(error, key) }
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        let (start, end) = try require(key, type)
        var offset = start
        do { return try reader.readDouble(&offset, end) } catch { throw impl.convert(error, key) }
    }

    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        let (start, end) = try impl.find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        var offset = start
        do { return try reader.readDouble(&offset, end) } catch { throw impl.convert(error, key) }
    }

    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        let (start, end) = try require(key, type)
        var offset = start
        do { return try reader.readFloat(&offset, end) } catch { throw impl.convert(error, key) }
    }

    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        let (start, end) = try impl.find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        var offset = start
        do { return try reader.readFloat(&offset, end) } catch { throw impl.convert(error, key) }
    }

    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        let (start, end) = try require(key, type)
        var offset = start
        do { return try reader.readInteger(Int.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        let (start, end) = try impl.find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        var offset = start
        do { return try reader.readInteger(Int.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
        let (start, end) = try require(key, type)
        var offset = start
        do { return try reader.readInteger(Int8.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? {
        let (start, end) = try impl.find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        var offset = start
        do { return try reader.readInteger(Int8.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
        let (start, end) = try require(key, type)
        var offset = start
        do { return try reader.readInteger(Int16.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? {
        let (start, end) = try impl.find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        var offset = start
        do { return try reader.readInteger(Int16.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
        let (start, end) = try require(key, type)
        var offset = start
        do { return try reader.readInteger(Int32.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? {
        let (start, end) = try impl.find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        var offset = start
        do { return try reader.readInteger(Int32.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        let (start, end) = try require(key, type)
        var offset = start
        do { return try reader.readInteger(Int64.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        let (start, end) = try impl.find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        var offset = start
        do { return try reader.readInteger(Int64.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decode(_ type: Int128.Type, forKey key: Key) throws -> Int128 {
        let (start, end) = try require(key, type)
        var offset = start
        do { return try reader.readInt128(&offset, end) } catch { throw impl.convert(error, key) }
    }

    func decodeIfPresent(_ type: Int128.Type, forKey key: Key) throws -> Int128? {
        let (start, end) = try impl.find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        var offset = start
        do { return try reader.readInt128(&offset, end) } catch { throw impl.convert(error, key) }
    }

    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
        let (start, end) = try require(key, type)
        var offset = start
        do { return try reader.readInteger(UInt.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? {
        let (start, end) = try impl.find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        var offset = start
        do { return try reader.readInteger(UInt.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
        let (start, end) = try require(key, type)
        var offset = start
        do { return try reader.readInteger(UInt8.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? {
        let (start, end) = try impl.find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        var offset = start
        do { return try reader.readInteger(UInt8.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
        let (start, end) = try require(key, type)
        var offset = start
        do { return try reader.readInteger(UInt16.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? {
        let (start, end) = try impl.find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        var offset = start
        do { return try reader.readInteger(UInt16.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
        let (start, end) = try require(key, type)
        var offset = start
        do { return try reader.readInteger(UInt32.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? {
        let (start, end) = try impl.find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        var offset = start
        do { return try reader.readInteger(UInt32.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
        let (start, end) = try require(key, type)
        var offset = start
        do { return try reader.readInteger(UInt64.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? {
        let (start, end) = try impl.find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        var offset = start
        do { return try reader.readInteger(UInt64.self, &offset, end) } catch { throw impl.convert(error, key) }
    }

    func decode(_ type: UInt128.Type, forKey key: Key) throws -> UInt128 {
        let (start, end) = try require(key, type)
        var offset = start
        do { return try reader.readUInt128(&offset, end) } catch { throw impl.convert(error, key) }
    }

    func decodeIfPresent(_ type: UInt128.Type, forKey key: Key) throws -> UInt128? {
        let (start, end) = try impl.find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        var offset = start
        do { return try reader.readUInt128(&offset, end) } catch { throw impl.convert(error, key) }
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let (start, end) = try require(key, type)
        return try impl.decodeChild(type, start: start, end: end, component: .key(key))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        let (start, end) = try impl.find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        return try impl.decodeChild(type, start: start, end: end, component: .key(key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        let (start, end) = try require(key, type)
        return try impl.child(start: start, end: end, component: .key(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let (start, end) = try require(key, [Any].self)
        return try impl.child(start: start, end: end, component: .key(key)).unkeyedContainer()
    }

    /// A decoder for `key`'s value; for an absent key, a decoder over nil (as Foundation's JSON).
    private func superDecoder(_ key: some CodingKey) throws -> any Decoder {
        let (start, end) = try impl.find(key)
        if start < 0 {
            return try impl.nilChild(component: .key(key))
        }
        return try impl.child(start: start, end: end, component: .key(key))
    }

    func superDecoder() throws -> any Decoder {
        try superDecoder(BinaryCodingKey.superKey)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        try superDecoder(key)
    }
}
