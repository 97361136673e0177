import Foundation
import Synchronization

/// Values decoded from stored JSON, keyed by the JSON bytes themselves, so the same bytes are decoded
/// once. Keyed by content, the cache can never answer a value for other bytes; it starts over when
/// it holds ``capacity`` entries.
final class DecodedJSONCache<Value: Decodable & Sendable>: Sendable {
    private let entries = Mutex<[[UInt8]: Value]>([:])
    let capacity: Int

    init(capacity: Int = 1024) { self.capacity = capacity }

    /// The value `json` decodes to (throws as `Store.fromJSON` does).
    func decode(_ json: [UInt8]) throws -> Value {
        if let value = entries.withLock({ $0[json] }) { return value }
        let value = try Store.fromJSON(Value.self, json)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll() }
            entries[json] = value
        }
        return value
    }
}
