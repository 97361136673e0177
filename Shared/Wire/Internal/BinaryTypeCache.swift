import Synchronization

/// What a dynamic cast found out about a type, cached process-wide: a conformance check
/// (`T.self as? any P.Type`) costs a few hundred nanoseconds of runtime look-ups, a hit here a
/// hashed look-up under an uncontended lock. Conformances never change at run time, so entries
/// never go stale.
final class BinaryTypeCache<Entry: Sendable>: Sendable {
    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    /// The entry for `type`, computed by `make` the first time.
    @inline(__always)
    func entry(for type: Any.Type, _ make: () -> Entry) -> Entry {
        let id = ObjectIdentifier(type)
        if let entry = entries.withLock({ $0[id] }) { return entry }
        let entry = make()
        entries.withLock { $0[id] = entry }
        return entry
    }
}

/// How `BinaryEncoderImpl.encodeValue` writes values of a type. (Metatypes are immutable: sendable.)
enum BinaryEncodeKind: @unchecked Sendable {
    /// Through the type's own `encode(to:)`.
    case plain
    /// An array or `[String: V]` dictionary written directly (see `BinaryEncodableCollection`).
    case collection(any BinaryEncodableCollection.Type)
    /// A type that writes itself (see `BinaryCodable`).
    case binaryCodable(any BinaryCodable.Type)

    static let cache = BinaryTypeCache<BinaryEncodeKind>()

    @inline(__always)
    static func of<T>(_ type: T.Type, local: inout BinaryLocalTypeCache<BinaryEncodeKind>) -> BinaryEncodeKind {
        local.entry(for: type, shared: cache) { make(type) }
    }

    /// The kind of `type` from the process-wide cache only (for a top-level value).
    @inline(__always)
    static func of<T>(_ type: T.Type) -> BinaryEncodeKind {
        cache.entry(for: type) { make(type) }
    }

    private static func make<T>(_ type: T.Type) -> BinaryEncodeKind {
        if let codable = type as? any BinaryCodable.Type { return .binaryCodable(codable) }
        if let collection = type as? any BinaryEncodableCollection.Type { return .collection(collection) }
        return .plain
    }
}

/// How `BinaryDecoderImpl.decodeValue` reads container values of a type.
enum BinaryDecodeKind: @unchecked Sendable {
    /// Through the type's own `init(from:)`.
    case plain
    /// An array read directly from a tag-9 value (see `BinaryDecodableArray`).
    case array(any BinaryDecodableArray.Type)
    /// A `[String: V]` dictionary read directly from a tag-10 value (see `BinaryDecodableDictionary`).
    case dictionary(any BinaryDecodableDictionary.Type)
    /// A type that reads itself from a tag-10 value (see `BinaryCodable`).
    case binaryCodable(any BinaryCodable.Type)

    static let cache = BinaryTypeCache<BinaryDecodeKind>()

    @inline(__always)
    static func of<T>(_ type: T.Type, local: inout BinaryLocalTypeCache<BinaryDecodeKind>) -> BinaryDecodeKind {
        local.entry(for: type, shared: cache) { make(type) }
    }

    /// The kind of `type` from the process-wide cache only (for a top-level value).
    @inline(__always)
    static func of<T>(_ type: T.Type) -> BinaryDecodeKind {
        cache.entry(for: type) { make(type) }
    }

    private static func make<T>(_ type: T.Type) -> BinaryDecodeKind {
        if let codable = type as? any BinaryCodable.Type { return .binaryCodable(codable) }
        if let array = type as? any BinaryDecodableArray.Type { return .array(array) }
        if let dictionary = type as? any BinaryDecodableDictionary.Type { return .dictionary(dictionary) }
        return .plain
    }
}

/// The entries of the last few types one encode or decode call met, checked before the
/// process-wide cache: a message repeats a handful of types (a Decision: 120 factor structs, 20
/// candidates), and comparing identifiers held inline is cheaper than a lock and a hash.
struct BinaryLocalTypeCache<Entry: Sendable> {
    private var type0: ObjectIdentifier?
    private var entry0: Entry?
    private var type1: ObjectIdentifier?
    private var entry1: Entry?
    private var type2: ObjectIdentifier?
    private var entry2: Entry?

    @inline(__always)
    mutating func entry<T>(for type: T.Type, shared: BinaryTypeCache<Entry>, _ make: () -> Entry) -> Entry {
        let id = ObjectIdentifier(type)
        if type0 == id, let entry0 { return entry0 }
        if type1 == id, let entry1 { return entry1 }
        if type2 == id, let entry2 { return entry2 }
        let entry = shared.entry(for: type, make)
        // Most recent first.
        type2 = type1
        entry2 = entry1
        type1 = type0
        entry1 = entry0
        type0 = id
        entry0 = entry
        return entry
    }
}
