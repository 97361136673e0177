/// The `capacity` highest-scoring documents seen, kept in a min-heap.
struct TopK {
    let capacity: Int
    private(set) var entries: [(score: Double, doc: Int32)] = []

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        entries.reserveCapacity(self.capacity)
    }

    mutating func insert(score: Double, doc: Int32) {
        if entries.count < capacity {
            entries.append((score, doc))
            siftUp(entries.count - 1)
        } else if score > entries[0].score {
            entries[0] = (score, doc)
            siftDown(0)
        }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].score < entries[parent].score else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count && entries[left].score < entries[smallest].score { smallest = left }
            if right < entries.count && entries[right].score < entries[smallest].score { smallest = right }
            if smallest == parent { return }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
