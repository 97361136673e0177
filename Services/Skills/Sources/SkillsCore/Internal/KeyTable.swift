/// A map from 64-bit keys to non-negative `Int32` values for the learned model's term and pair ids: open
/// addressing with linear probing over power-of-two arrays kept at most half full, Fibonacci hashing of
/// the key, and backward-shift deletion (no tombstones). Unlike `Dictionary` it hashes with one multiply
/// instead of SipHash and keeps key and value side by side (one cache line per probe), which matters for
/// a lookup per term of every prediction.
struct KeyTable {
    private struct Slot {
        var key: UInt64
        var value: Int32  // -1 marks an empty slot
    }

    private static let empty = Slot(key: 0, value: -1)
    private var slots: [Slot]
    private var shift: UInt64
    /// How many keys are held.
    private(set) var count = 0

    init() {
        slots = Array(repeating: Self.empty, count: 16)
        shift = 64 - 4
    }

    /// The value of `key`; setting nil removes it.
    subscript(key: UInt64) -> Int32? {
        get {
            let slot = find(key)
            return slot < 0 ? nil : slots[slot].value
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
        let mask = slots.count - 1
        return slots.withUnsafeBufferPointer { slots in
            var slot = home(key)
            while true {
                let entry = slots[slot]
                if entry.value < 0 || entry.key == key { return entry.value }
                slot = (slot + 1) & mask
            }
        }
    }

    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The slot holding `key`, or -1.
    private func find(_ key: UInt64) -> Int {
        let mask = slots.count - 1
        var slot = home(key)
        while slots[slot].value >= 0 {
            if slots[slot].key == key { return slot }
            slot = (slot + 1) & mask
        }
        return -1
    }

    private mutating func set(_ key: UInt64, _ value: Int32) {
        precondition(value >= 0, "KeyTable holds non-negative values")
        let existing = find(key)
        if existing >= 0 {
            slots[existing].value = value
            return
        }
        if (count + 1) * 2 > slots.count { grow() }
        place(key, value)
        count += 1
    }

    private mutating func place(_ key: UInt64, _ value: Int32) {
        let mask = slots.count - 1
        var slot = home(key)
        while slots[slot].value >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Slot(key: key, value: value)
    }

    /// Removes `key`, shifting later entries of its probe run back so that no lookup stops early.
    private mutating func remove(_ key: UInt64) {
        var hole = find(key)
        guard hole >= 0 else { return }
        let mask = slots.count - 1
        slots[hole] = Self.empty
        count -= 1
        var next = hole
        while true {
            next = (next + 1) & mask
            guard slots[next].value >= 0 else { return }
            let wanted = home(slots[next].key)
            // An entry may move back into the hole unless its home lies cyclically in (hole, next].
            let staysPut = hole <= next ? (hole < wanted && wanted <= next) : (hole < wanted || wanted <= next)
            if staysPut { continue }
            slots[hole] = slots[next]
            slots[next] = Self.empty
            hole = next
        }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Self.empty, count: old.count * 2)
        shift -= 1
        for entry in old where entry.value >= 0 { place(entry.key, entry.value) }
    }
}
