import Foundation
import Synchronization

/// Values decoded from stored JSON, keyed by the JSON bytes themselves, so the same bytes are decoded
/// once. Keyed by content, the cache can never answer a value for other bytes; it starts over when
/// it holds ``capacity`` entries.
///
/// Looked up by a 64-bit hash of the bytes, then the bytes compared in full: a hit neither copies
/// the bytes out of the row nor hashes them one `Hasher` call per byte.
final class DecodedJSONCache<Value: Decodable & Sendable>: Sendable {
    private struct Entry {
        let json: [UInt8]
        let value: Value
    }

    private let entries = Mutex<[UInt64: Entry]>([:])
    let capacity: Int

    init(capacity: Int = 1024) { self.capacity = capacity }

    /// The value `json` decodes to (throws as `Store.fromJSON` does).
    func decode(_ json: [UInt8]) throws -> Value {
        try json.withUnsafeBytes { try decode($0) }
    }

    /// The value `json` decodes to (throws as `Store.fromJSON` does); `json` is copied only on a miss.
    func decode(_ json: UnsafeRawBufferPointer) throws -> Value {
        let key = Self.hash(json)
        let cached = entries.withLock { entries -> Value? in
            guard let entry = entries[key], Self.equal(entry.json, json) else { return nil }
            return entry.value
        }
        if let cached { return cached }
        let bytes = Array(json)
        let value = try Store.fromJSON(Value.self, bytes)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll() }
            entries[key] = Entry(json: bytes, value: value)
        }
        return value
    }

    private static func equal(_ stored: [UInt8], _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard stored.count == bytes.count else { return false }
        guard let base = bytes.baseAddress, !stored.isEmpty else { return true }
        return stored.withUnsafeBytes { memcmp($0.baseAddress!, base, stored.count) == 0 }
    }

    /// 64-bit FNV-1a: a key, not a check (entries compare their bytes).
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
