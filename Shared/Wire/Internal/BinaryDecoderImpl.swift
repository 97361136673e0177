import Foundation

/// The `Decoder` handed to `Decodable.init(from:)` for one value occupying `start..<end` of the
/// input; it is also that value's single-value container, and it holds the lookup state of its
/// keyed container. The coding path is kept as a parent chain and built only on demand.
///
/// The decoders `decodeValue` makes for the elements of a collection are recycled for later values
/// of the same type in the same decode, together with their keyed container (see
/// `BinaryDecodingContext.takeDecoder`): an array of structs then builds one decoder and one
/// `KeyedDecodingContainer`, not one per element.
final class BinaryDecoderImpl: Decoder, SingleValueDecodingContainer, BinaryCodingPathNode {
    @exclusivity(unchecked) private(set) var reader: BinaryReader
    @exclusivity(unchecked) private(set) var start: Int
    @exclusivity(unchecked) private(set) var end: Int
    /// Number of decoders from the top-level one to this one, both included.
    @exclusivity(unchecked) private(set) var depth: Int
    let context: BinaryDecodingContext
    @exclusivity(unchecked) private(set) var parent: BinaryDecoderImpl?
    @exclusivity(unchecked) private(set) var component: BinaryPathComponent

    /// Whether this decoder serves a second value or more (only then is its keyed container worth
    /// keeping).
    @exclusivity(unchecked) private var recycled = false
    /// The keyed container made by the last `container(keyedBy:)` of a recycled decoder, kept
    /// for the next value it decodes, and its key type. Building a `KeyedDecodingContainer` costs
    /// several generic metadata and conformance look-ups and an allocation: more than decoding a
    /// few fields.
    @exclusivity(unchecked) private var keptContainer: BinaryKeptContainerBase?
    @exclusivity(unchecked) private var keptKeyType: ObjectIdentifier?

    // Keyed container state, set up by `openKeyed()`.
    @exclusivity(unchecked) private var keyedOpen = false
    @exclusivity(unchecked) private(set) var bodyStart = 0
    @exclusivity(unchecked) private(set) var bodyEnd = 0
    @exclusivity(unchecked) private(set) var entryCount = 0
    /// The entry after the last one found: keys are usually asked for in the order they were
    /// written, so a lookup tries it first.
    @exclusivity(unchecked) private var cursorOffset = 0
    @exclusivity(unchecked) private var cursorIndex = 0

    init(reader: BinaryReader, start: Int, end: Int, depth: Int, context: BinaryDecodingContext, parent: BinaryDecoderImpl?, component: BinaryPathComponent) {
        self.reader = reader
        self.start = start
        self.end = end
        self.depth = depth
        self.context = context
        self.parent = parent
        self.component = component
    }

    // MARK: Coding path and errors

    /// Turns a `BinaryReadError` into a `DecodingError` at this decoder's path plus `key`; other
    /// errors (already `DecodingError`s with their own path, or thrown by user code) pass through.
    @inline(never)
    func convert(_ error: any Error, _ key: (any CodingKey)?) -> any Error {
        guard let error = error as? BinaryReadError else { return error }
        return error.decodingError(codingPath: codingPath(appending: key))
    }

    @inline(never)
    static func convert(_ error: any Error, parent: BinaryDecoderImpl?, component: BinaryPathComponent) -> any Error {
        guard let error = error as? BinaryReadError else { return error }
        var path = parent?.codingPath ?? []
        if let key = component.codingKey { path.append(key) }
        return error.decodingError(codingPath: path)
    }

    // MARK: Decoder

    var userInfo: [CodingUserInfoKey: Any] { context.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try openKeyed()
        guard recycled else {
            return KeyedDecodingContainer(BinaryKeyedDecodingContainer<Key>(impl: self))
        }
        let keyType = ObjectIdentifier(type)
        if let keptContainer, keptKeyType == keyType {
            return unsafeDowncast(keptContainer, to: BinaryKeptContainer<Key>.self).container
        }
        let kept = BinaryKeptContainer<Key>(KeyedDecodingContainer(BinaryKeyedDecodingContainer<Key>(impl: self)))
        keptContainer = kept
        keptKeyType = keyType
        return kept.container
    }

    /// Re-points this decoder at another value (of the type it decoded last).
    @inline(__always)
    func reuse(reader: BinaryReader, start: Int, end: Int, depth: Int, parent: BinaryDecoderImpl?, component: BinaryPathComponent) {
        self.reader = reader
        self.start = start
        self.end = end
        self.depth = depth
        self.parent = parent
        self.component = component
        keyedOpen = false
        recycled = true
    }

    /// Breaks the cycle through the kept container (it holds this decoder) once the decoder is
    /// no longer recycled.
    func dropKeptContainer() {
        keptContainer = nil
        keptKeyType = nil
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let header: BinaryReader.ContainerHeader
        do {
            header = try reader.readContainerHeader(BinaryFormat.tagArray, as: [Any].self, start, end)
        } catch {
            throw convert(error, nil)
        }
        return BinaryUnkeyedDecodingContainer(impl: self, header: header)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        self
    }

    /// A decoder for the value at `start..<end` inside this one.
    @inline(__always)
    func child(start: Int, end: Int, component: BinaryPathComponent) throws -> BinaryDecoderImpl {
        guard depth < context.maxDepth else {
            throw BinaryDecoderImpl.depthError(parent: self, component: component, maxDepth: context.maxDepth)
        }
        return BinaryDecoderImpl(reader: reader, start: start, end: end, depth: depth &+ 1, context: context, parent: self, component: component)
    }

    /// A decoder over a nil value (for `superDecoder(forKey:)` of an absent key).
    func nilChild(component: BinaryPathComponent) throws -> BinaryDecoderImpl {
        guard depth < context.maxDepth else {
            throw BinaryDecoderImpl.depthError(parent: self, component: component, maxDepth: context.maxDepth)
        }
        return BinaryDecoderImpl(reader: BinaryReader(base: BinaryReader.nilValue), start: 0, end: 1, depth: depth &+ 1, context: context, parent: self, component: component)
    }

    /// The decoder of a collection (array or dictionary) at `start..<end` and its container header with `tag`:
    /// the decoder anchors the elements' coding paths and names the collection in errors.
    static func openCollection(
        _ tag: UInt8, as type: Any.Type, reader: BinaryReader, start: Int, end: Int,
        parent: BinaryDecoderImpl?, component: BinaryPathComponent, context: BinaryDecodingContext, depth: Int
    ) throws -> (decoder: BinaryDecoderImpl, header: BinaryReader.ContainerHeader) {
        guard depth < context.maxDepth else {
            throw depthError(parent: parent, component: component, maxDepth: context.maxDepth)
        }
        let decoder = BinaryDecoderImpl(reader: reader, start: start, end: end, depth: depth &+ 1, context: context, parent: parent, component: component)
        do {
            return (decoder, try reader.readContainerHeader(tag, as: type, start, end))
        } catch {
            throw decoder.convert(error, nil)
        }
    }

    @inline(never)
    static func depthError(parent: BinaryDecoderImpl?, component: BinaryPathComponent, maxDepth: Int) -> DecodingError {
        var path = parent?.codingPath ?? []
        if let key = component.codingKey { path.append(key) }
        return BinaryReadError.corrupted("Values are nested deeper than the maximum depth of \(maxDepth).").decodingError(codingPath: path)
    }

    // MARK: Keyed lookup

    func openKeyed() throws {
        if keyedOpen { return }
        let header: BinaryReader.ContainerHeader
        do {
            header = try reader.readContainerHeader(BinaryFormat.tagKeyed, as: [String: Any].self, start, end)
        } catch {
            throw convert(error, nil)
        }
        bodyStart = header.bodyStart
        bodyEnd = header.bodyEnd
        entryCount = header.count
        cursorOffset = header.bodyStart
        cursorIndex = 0
        keyedOpen = true
    }

    /// The value of the first entry named `key`: its `start..<end`, or start -1 if there is none.
    /// Throws `dataCorrupted` if the container is malformed.
    @inline(__always)
    func find<K: CodingKey>(_ key: K) throws -> (start: Int, end: Int) {
        let name = key.stringValue
        let found = name.utf8.withContiguousStorageIfAvailable { find(UnsafeRawBufferPointer($0)) } ?? findCopying(name)
        if _slowPath(found.start == -2) {
            throw convert(BinaryReadError.corrupted("Malformed entry in keyed container at byte offset \(found.end)."), nil)
        }
        return found
    }

    @inline(never)
    private func findCopying(_ name: String) -> (start: Int, end: Int) {
        var name = name
        return name.withUTF8 { find(UnsafeRawBufferPointer($0)) }
    }

    /// `BinaryReader.find` in this keyed container; start -2 (and the offset in `end`) for a
    /// malformed container.
    private func find(_ name: UnsafeRawBufferPointer) -> (start: Int, end: Int) {
        var offset = cursorOffset
        var index = cursorIndex
        defer { (cursorOffset, cursorIndex) = (offset, index) }
        return reader.find(name, bodyStart: bodyStart, bodyEnd: bodyEnd, count: entryCount, cursorOffset: &offset, cursorIndex: &index)
    }

    /// Every key of the keyed container, in order (up to the first malformed entry, if any, or an
    /// entry whose key is not valid UTF-8).
    func allKeyStrings() -> [String] {
        var keys: [String] = []
        var offset = bodyStart
        var index = 0
        while index < entryCount {
            let e = reader.entry(at: offset, bodyEnd)
            guard e.valueEnd >= 0, let key = try? reader.makeString(e.keyStart, e.keyCount) else { break }
            keys.append(key)
            offset = e.valueEnd
            index &+= 1
        }
        return keys
    }

    // MARK: SingleValueDecodingContainer

    func decodeNil() -> Bool {
        reader.byte(start) == BinaryFormat.tagNil
    }

    @inline(__always)
    private func single<T>(_ read: (inout Int, Int) throws -> T) throws -> T {
        var offset = start
        do {
            return try read(&offset, end)
        } catch {
            throw convert(error, nil)
        }
    }

    func decode(_ type: Bool.Type) throws -> Bool { try single(reader.readBool) }
    func decode(_ type: String.Type) throws -> String { try single(reader.readString) }
    func decode(_ type: Double.Type) throws -> Double { try single(reader.readDouble) }
    func decode(_ type: Float.Type) throws -> Float { try single(reader.readFloat) }
    func decode(_ type: Int.Type) throws -> Int { try single { try reader.readInteger(Int.self, &$0, $1) } }
    func decode(_ type: Int8.Type) throws -> Int8 { try single { try reader.readInteger(Int8.self, &$0, $1) } }
    func decode(_ type: Int16.Type) throws -> Int16 { try single { try reader.readInteger(Int16.self, &$0, $1) } }
    func decode(_ type: Int32.Type) throws -> Int32 { try single { try reader.readInteger(Int32.self, &$0, $1) } }
    func decode(_ type: Int64.Type) throws -> Int64 { try single { try reader.readInteger(Int64.self, &$0, $1) } }
    func decode(_ type: Int128.Type) throws -> Int128 { try single(reader.readInt128) }
    func decode(_ type: UInt.Type) throws -> UInt { try single { try reader.readInteger(UInt.self, &$0, $1) } }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try single { try reader.readInteger(UInt8.self, &$0, $1) } }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try single { try reader.readInteger(UInt16.self, &$0, $1) } }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try single { try reader.readInteger(UInt32.self, &$0, $1) } }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try single { try reader.readInteger(UInt64.self, &$0, $1) } }
    func decode(_ type: UInt128.Type) throws -> UInt128 { try single(reader.readUInt128) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try BinaryDecoderImpl.decodeValue(type, reader: reader, start: start, end: end, parent: self, component: .none, context: context, depth: depth)
    }

    /// Decodes a value nested in this one. `recycling` (for the elements of a collection, which
    /// repeat one type) lets its decoder be reused for the next element.
    @inline(__always)
    func decodeChild<T: Decodable>(_ type: T.Type, start: Int, end: Int, component: BinaryPathComponent, recycling: Bool = false) throws -> T {
        try BinaryDecoderImpl.decodeValue(type, reader: reader, start: start, end: end, parent: self, component: component, context: context,
                                          depth: depth, recycling: recycling)
    }

    // MARK: Decoding any value

    /// Decodes the value at `start..<end` (already known to be a whole value): directly for the
    /// types with a fast path, else with `T.init(from:)` and a new decoder at `depth`.
    static func decodeValue<T: Decodable>(
        _ type: T.Type, reader: BinaryReader, start: Int, end: Int,
        parent: BinaryDecoderImpl?, component: BinaryPathComponent, context: BinaryDecodingContext, depth: Int, recycling: Bool = false
    ) throws -> T {
        var offset = start
        do {
            if T.self == String.self {
                return unsafeBitCast(try reader.readString(&offset, end), to: T.self)
            }
            if T.self == Int.self {
                return unsafeBitCast(try reader.readInteger(Int.self, &offset, end), to: T.self)
            }
            if T.self == Double.self {
                return unsafeBitCast(try reader.readDouble(&offset, end), to: T.self)
            }
            if T.self == Bool.self {
                return unsafeBitCast(try reader.readBool(&offset, end), to: T.self)
            }
            if T.self == Date.self {
                return unsafeBitCast(Date(timeIntervalSince1970: try reader.readDouble(&offset, end)), to: T.self)
            }
            if T.self == [String].self {
                return unsafeBitCast(try decodeStringArray(reader, start, end, parent: parent, component: component), to: T.self)
            }
            if T.self == [String: String].self {
                return unsafeBitCast(try decodeStringDictionary(reader, start, end, parent: parent, component: component), to: T.self)
            }
            if T.self == Data.self {
                let bytes = try reader.readBytes(&offset, end, as: Data.self)
                return unsafeBitCast(bytes.isEmpty ? Data() : Data(bytes), to: T.self)
            }
            if T.self == [UInt8].self, reader.byte(start) == BinaryFormat.tagBytes {
                return unsafeBitCast(Array(try reader.readBytes(&offset, end, as: [UInt8].self)), to: T.self)
            }
            if T.self == [Int].self {
                return unsafeBitCast(try decodeIntArray(reader, start, end, parent: parent, component: component), to: T.self)
            }
            if T.self == [Double].self {
                return unsafeBitCast(try decodeDoubleArray(reader, start, end, parent: parent, component: component), to: T.self)
            }
            if T.self == URL.self {
                let string = try reader.readString(&offset, end)
                guard let url = URL(string: string) else {
                    throw BinaryReadError.corrupted("Invalid URL string.")
                }
                return unsafeBitCast(url, to: T.self)
            }
            if T.self == Decimal.self {
                let string = try reader.readString(&offset, end)
                guard let decimal = Decimal(string: string, locale: nil) else {
                    throw BinaryReadError.corrupted("Invalid Decimal string.")
                }
                return unsafeBitCast(decimal, to: T.self)
            }
        } catch {
            throw convert(error, parent: parent, component: component)
        }
        let tag = reader.byte(start)
        if tag == BinaryFormat.tagArray || tag == BinaryFormat.tagKeyed {
            switch BinaryDecodeKind.of(T.self, local: &context.kinds) {
            case .array(let array) where tag == BinaryFormat.tagArray:
                return try array.binaryDecode(as: T.self, reader: reader, start: start, end: end, parent: parent, component: component, context: context, depth: depth)
            case .dictionary(let dictionary) where tag == BinaryFormat.tagKeyed:
                return try dictionary.binaryDecode(as: T.self, reader: reader, start: start, end: end, parent: parent, component: component, context: context, depth: depth)
            case .binaryCodable(let codable) where tag == BinaryFormat.tagKeyed && context.usesBinaryCodable:
                // Anything it does not take is decoded below through `init(from:)`, which throws
                // the error with this value's coding path (or takes it).
                if let value = try? codable.binaryRead(as: T.self, reader: reader, start: start, end: end, depth: depth, maxDepth: context.maxDepth) {
                    return value
                }
            default:
                break
            }
        }
        guard depth < context.maxDepth else {
            throw depthError(parent: parent, component: component, maxDepth: context.maxDepth)
        }
        guard recycling else {
            return try T(from: BinaryDecoderImpl(reader: reader, start: start, end: end, depth: depth &+ 1, context: context, parent: parent, component: component))
        }
        let decoder: BinaryDecoderImpl
        if let recycled = context.takeDecoder(for: T.self) {
            recycled.reuse(reader: reader, start: start, end: end, depth: depth &+ 1, parent: parent, component: component)
            decoder = recycled
        } else {
            decoder = BinaryDecoderImpl(reader: reader, start: start, end: end, depth: depth &+ 1, context: context, parent: parent, component: component)
        }
        defer { context.giveBack(decoder, for: T.self) }
        return try T(from: decoder)
    }

    /// Converts an error from element `index` of a fast-path array to its full coding path.
    @inline(never)
    private static func elementError(_ error: any Error, parent: BinaryDecoderImpl?, component: BinaryPathComponent, index: Int) -> any Error {
        guard let error = error as? BinaryReadError else { return error }
        var path = parent?.codingPath ?? []
        if let key = component.codingKey { path.append(key) }
        path.append(BinaryCodingKey(index: index))
        return error.decodingError(codingPath: path)
    }

    private static func decodeStringArray(_ reader: BinaryReader, _ start: Int, _ end: Int, parent: BinaryDecoderImpl?, component: BinaryPathComponent) throws -> [String] {
        let header = try reader.readContainerHeader(BinaryFormat.tagArray, as: [String].self, start, end)
        var result: [String] = []
        result.reserveCapacity(header.count)
        var offset = header.bodyStart
        for index in 0..<header.count {
            do {
                result.append(try reader.readString(&offset, header.bodyEnd))
            } catch {
                throw elementError(error, parent: parent, component: component, index: index)
            }
        }
        return result
    }

    private static func decodeIntArray(_ reader: BinaryReader, _ start: Int, _ end: Int, parent: BinaryDecoderImpl?, component: BinaryPathComponent) throws -> [Int] {
        let header = try reader.readContainerHeader(BinaryFormat.tagArray, as: [Int].self, start, end)
        var result: [Int] = []
        result.reserveCapacity(header.count)
        var offset = header.bodyStart
        for index in 0..<header.count {
            do {
                result.append(try reader.readInteger(Int.self, &offset, header.bodyEnd))
            } catch {
                throw elementError(error, parent: parent, component: component, index: index)
            }
        }
        return result
    }

    private static func decodeDoubleArray(_ reader: BinaryReader, _ start: Int, _ end: Int, parent: BinaryDecoderImpl?, component: BinaryPathComponent) throws -> [Double] {
        let header = try reader.readContainerHeader(BinaryFormat.tagArray, as: [Double].self, start, end)
        var result: [Double] = []
        result.reserveCapacity(header.count)
        var offset = header.bodyStart
        for index in 0..<header.count {
            do {
                result.append(try reader.readDouble(&offset, header.bodyEnd))
            } catch {
                throw elementError(error, parent: parent, component: component, index: index)
            }
        }
        return result
    }

    /// A `[String: String]` from a keyed container.
    private static func decodeStringDictionary(_ reader: BinaryReader, _ start: Int, _ end: Int, parent: BinaryDecoderImpl?, component: BinaryPathComponent) throws -> [String: String] {
        let header = try reader.readContainerHeader(BinaryFormat.tagKeyed, as: [String: String].self, start, end)
        var result = [String: String](minimumCapacity: header.count)
        var offset = header.bodyStart
        for _ in 0..<header.count {
            let keyCount = reader.length(&offset, header.bodyEnd)
            guard offset >= 0 else {
                throw BinaryReadError.corrupted("Malformed entry in keyed container.")
            }
            let key = try reader.makeString(offset, keyCount)
            offset &+= keyCount
            let value: String
            do {
                value = try reader.readString(&offset, header.bodyEnd)
            } catch {
                guard let error = error as? BinaryReadError else { throw error }
                var path = parent?.codingPath ?? []
                if let component = component.codingKey { path.append(component) }
                path.append(BinaryCodingKey(stringValue: key))
                throw error.decodingError(codingPath: path)
            }
            result[key] = value
        }
        return result
    }
}
