import Synchronization

/// Series of one metric found by a hashable key, so a hot path records without rendering its labels
/// on every call: each series is created in the registry once (by `make`), then found in a hash table.
public final class SeriesCache<Key: Hashable & Sendable, Series: Sendable>: Sendable {
    /// Keys remembered at most; past this, series are still recorded but looked up in the registry.
    public static var capacity: Int { 10_000 }

    private let series = Mutex<[Key: Series]>([:])
    private let make: @Sendable (Key) -> Series

    /// `make` creates (or finds) the key's series in a registry.
    public init(_ make: @escaping @Sendable (Key) -> Series) { self.make = make }

    /// The series of `key`.
    public subscript(_ key: Key) -> Series {
        if let found = series.withLock({ $0[key] }) { return found }
        let created = make(key)
        series.withLock { series in
            if series.count < Self.capacity { series[key] = created }
        }
        return created
    }
}
