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

    static let cache = BinaryTypeCache<BinaryEncodeKind>()

    @inline(__always)
    static func of<T>(_ type: T.Type) -> BinaryEncodeKind {
        cache.entry(for: type) {
            if let collection = type as? any BinaryEncodableCollection.Type { return .collection(collection) }
            return .plain
        }
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

    static let cache = BinaryTypeCache<BinaryDecodeKind>()

    @inline(__always)
    static func of<T>(_ type: T.Type) -> BinaryDecodeKind {
        cache.entry(for: type) {
            if let array = type as? any BinaryDecodableArray.Type { return .array(array) }
            if let dictionary = type as? any BinaryDecodableDictionary.Type { return .dictionary(dictionary) }
            return .plain
        }
    }
}
