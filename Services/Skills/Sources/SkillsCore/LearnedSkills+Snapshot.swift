import Foundation

/// Persisting learned counts: `snapshot()` to JSON (large arrays packed as little-endian base64), and
/// `init(snapshot:)` to restore and keep learning.
extension LearnedSkills {
    /// The snapshot format version this code writes and reads.
    public static let snapshotVersion = 1

    struct Snapshot: Codable {
        var version: Int
        var configuration: Configuration
        var ticketCount: Int
        /// Weights are stored with the next ticket weighing 1.
        var totalWeight: Double
        var targets: [String]
        var targetWeights: Data  // Float64 each
        var terms: [String]
        var termHashes: Data  // UInt64 each
        var termCounts: Data  // Int32 each
        var termWeights: Data  // Float64 each
        var pairs: Data  // (term index, target index) as Int32 pairs
        var pairWeights: Data  // Float64 each
    }

    /// The learned state as data for `init(snapshot:)`. With `minimumTermCount` above 1, terms seen in
    /// fewer tickets are left out: a much smaller snapshot (most terms are rare), at the price of those
    /// terms starting from zero after a restore.
    public func snapshot(minimumTermCount: Int = 1) -> Data {
        let keep = Int32(clamping: max(1, minimumTermCount))
        let snapshot = state.withLock { model -> Snapshot in
            let factor = 1 / model.scale
            var termIndex = [Int32](repeating: -1, count: model.termHashes.count)
            var terms: [String] = []
            var hashes: [UInt64] = []
            var counts: [Int32] = []
            var termWeights: [Double] = []
            for id in model.termHashes.indices where model.termCounts[id] >= keep {
                termIndex[id] = Int32(terms.count)
                terms.append(model.termTexts[id])
                hashes.append(model.termHashes[id])
                counts.append(model.termCounts[id])
                termWeights.append(model.termWeights[id] * factor)
            }
            var pairs: [Int32] = []
            var pairWeights: [Double] = []
            pairs.reserveCapacity(model.livePairs * 2)
            pairWeights.reserveCapacity(model.livePairs)
            for (id, row) in model.termPairs.enumerated() where termIndex[id] >= 0 {
                for pair in row {
                    pairs.append(termIndex[id])
                    pairs.append(pair.target)
                    pairWeights.append(pair.weight * factor)
                }
            }
            return Snapshot(version: Self.snapshotVersion, configuration: model.configuration, ticketCount: model.ticketCount,
                            totalWeight: model.totalWeight * factor, targets: model.targets,
                            targetWeights: Self.pack(model.targetWeights.map { ($0 * factor).bitPattern }), terms: terms,
                            termHashes: Self.pack(hashes), termCounts: Self.pack(counts),
                            termWeights: Self.pack(termWeights.map(\.bitPattern)), pairs: Self.pack(pairs),
                            pairWeights: Self.pack(pairWeights.map(\.bitPattern)))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(snapshot)) ?? Data()
    }

    /// Restores learned state; throws `SkillsError` when the data is not a valid snapshot.
    public convenience init(snapshot data: Data) throws {
        let snapshot: Snapshot
        do {
            snapshot = try JSONDecoder().decode(Snapshot.self, from: data)
        } catch {
            throw SkillsError(.malformed, "not a learned-skills snapshot: \(error)")
        }
        guard snapshot.version == Self.snapshotVersion else {
            throw SkillsError(.unsupportedVersion, field: "version", "unsupported snapshot version \(snapshot.version)")
        }
        self.init(model: try Self.model(from: snapshot))
    }

    private static func model(from snapshot: Snapshot) throws -> LearnedModel {
        var model = LearnedModel(configuration: snapshot.configuration)
        model.ticketCount = max(0, snapshot.ticketCount)
        model.totalWeight = max(0, snapshot.totalWeight)
        let targetWeights: [Double] = try unpack(snapshot.targetWeights, field: "targetWeights").map(Double.init(bitPattern:))
        guard targetWeights.count == snapshot.targets.count else {
            throw SkillsError(.malformed, field: "targetWeights", "expected one weight per target")
        }
        for (index, name) in snapshot.targets.enumerated() {
            guard model.targetIDs.updateValue(Int32(index), forKey: name) == nil else {
                throw SkillsError(.malformed, field: "targets[\(index)]", "duplicate target '\(name)'")
            }
        }
        model.targets = snapshot.targets
        model.targetWeights = targetWeights
        let hashes: [UInt64] = try unpack(snapshot.termHashes, field: "termHashes")
        let counts: [Int32] = try unpack(snapshot.termCounts, field: "termCounts")
        let termWeights: [Double] = try unpack(snapshot.termWeights, field: "termWeights").map(Double.init(bitPattern:))
        let termCount = snapshot.terms.count
        guard hashes.count == termCount, counts.count == termCount, termWeights.count == termCount else {
            throw SkillsError(.malformed, field: "terms", "expected one hash, count and weight per term")
        }
        model.termHashes = hashes
        model.termTexts = snapshot.terms
        model.termCounts = counts.map { max(1, $0) }
        model.termWeights = termWeights
        model.termPairs = Array(repeating: [], count: termCount)
        model.termDistances = Array(repeating: 0, count: termCount)
        model.termDistanceStamps = Array(repeating: -1, count: termCount)
        for (index, hash) in hashes.enumerated() { model.termIDs[hash] = Int32(index) }
        let pairs: [Int32] = try unpack(snapshot.pairs, field: "pairs")
        let pairWeights: [Double] = try unpack(snapshot.pairWeights, field: "pairWeights").map(Double.init(bitPattern:))
        guard pairs.count == pairWeights.count * 2 else {
            throw SkillsError(.malformed, field: "pairs", "expected one (term, target) pair per weight")
        }
        for (index, weight) in pairWeights.enumerated() {
            let term = pairs[2 * index], target = pairs[2 * index + 1]
            guard term >= 0, Int(term) < termCount, target >= 0, Int(target) < snapshot.targets.count else {
                throw SkillsError(.malformed, field: "pairs", "a pair refers to an unknown term or target")
            }
            guard model.pairIDs[LearnedModel.pairKey(term: term, target: target)] == nil else {
                throw SkillsError(.malformed, field: "pairs", "duplicate pair")
            }
            model.add(term: term, target: target, weight: weight)
        }
        return model
    }

    private static func pack<T: FixedWidthInteger>(_ values: [T]) -> Data {
        var data = Data(capacity: values.count * MemoryLayout<T>.size)
        for value in values { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    private static func unpack<T: FixedWidthInteger>(_ data: Data, field: String) throws -> [T] {
        let size = MemoryLayout<T>.size
        guard data.count % size == 0 else {
            throw SkillsError(.malformed, field: field, "expected a multiple of \(size) bytes")
        }
        return data.withUnsafeBytes { raw in
            (0..<(data.count / size)).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * size, as: T.self)) }
        }
    }
}
