/// A map from 64-bit keys to non-negative `Int32` values for the learned model's term and pair ids: open
/// addressing with linear probing over power-of-two arrays kept at most half full, Fibonacci hashing of
/// the key, and backward-shift deletion (no tombstones). Unlike `Dictionary` it hashes with one multiply
/// instead of SipHash, which matters for a lookup per term of every prediction.
struct KeyTable {
    private var keys: [UInt64]
    private var values: [Int32]  // -1 marks an empty slot
    private var shift: UInt64
    /// How many keys are held.
    private(set) var count = 0

    init() {
        keys = Array(repeating: 0, count: 16)
        values = Array(repeating: -1, count: 16)
        shift = 64 - 4
    }

    /// The value of `key`; setting nil removes it.
    subscript(key: UInt64) -> Int32? {
        get {
            let slot = find(key)
            return slot < 0 ? nil : values[slot]
        }
        set {
            if let newValue {
                set(key, newValue)
            } else {
                remove(key)
            }
        }
    }

    /// The value of `key`, or -1: the lookup of the prediction's hot loop.
    @inline(__always)
    func value(_ key: UInt64) -> Int32 {
        let mask = values.count - 1
        return values.withUnsafeBufferPointer { values in
            keys.withUnsafeBufferPointer { keys in
                var slot = home(key)
                while true {
                    let value = values[slot]
                    if value < 0 || keys[slot] == key { return value }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The slot holding `key`, or -1.
    private func find(_ key: UInt64) -> Int {
        let mask = values.count - 1
        var slot = home(key)
        while values[slot] >= 0 {
            if keys[slot] == key { return slot }
            slot = (slot + 1) & mask
        }
        return -1
    }

    private mutating func set(_ key: UInt64, _ value: Int32) {
        precondition(value >= 0, "KeyTable holds non-negative values")
        let existing = find(key)
        if existing >= 0 {
            values[existing] = value
            return
        }
        if (count + 1) * 2 > values.count { grow() }
        place(key, value)
        count += 1
    }

    private mutating func place(_ key: UInt64, _ value: Int32) {
        let mask = values.count - 1
        var slot = home(key)
        while values[slot] >= 0 { slot = (slot + 1) & mask }
        keys[slot] = key
        values[slot] = value
    }

    /// Removes `key`, shifting later entries of its probe run back so that no lookup stops early.
    private mutating func remove(_ key: UInt64) {
        var hole = find(key)
        guard hole >= 0 else { return }
        let mask = values.count - 1
        values[hole] = -1
        count -= 1
        var next = hole
        while true {
            next = (next + 1) & mask
            guard values[next] >= 0 else { return }
            let wanted = home(keys[next])
            // An entry may move back into the hole unless its home lies cyclically in (hole, next].
            let staysPut = hole <= next ? (hole < wanted && wanted <= next) : (hole < wanted || wanted <= next)
            if staysPut { continue }
            keys[hole] = keys[next]
            values[hole] = values[next]
            values[next] = -1
            hole = next
        }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = Array(repeating: 0, count: oldValues.count * 2)
        values = Array(repeating: -1, count: oldValues.count * 2)
        shift -= 1
        for slot in oldValues.indices where oldValues[slot] >= 0 { place(oldKeys[slot], oldValues[slot]) }
    }
}
