/// How many resolved tickets stand behind each of the first three skills a candidate matched (the ones the reasons
/// name), packed in one word so that giving them to every candidate allocates nothing: 21 bits each, at most 2,097,151.
public struct SkillTicketCounts: Sendable, Equatable {
    public static let limit = 3
    static let bits: UInt64 = 21
    static let maximum: UInt64 = (1 << bits) - 1

    private var packed: UInt64 = 0
    /// How many counts are set (the first `count` matched skills).
    public private(set) var count = 0

    public init() {}

    public init(_ counts: [Int]) {
        for value in counts.prefix(Self.limit) { append(value) }
    }

    /// Adds the count of the next matched skill; ignored past ``limit``.
    public mutating func append(_ tickets: Int) {
        guard count < Self.limit else { return }
        packed |= min(UInt64(max(0, tickets)), Self.maximum) << (Self.bits * UInt64(count))
        count += 1
    }

    /// The count of the `index`th matched skill (0 when not set).
    public subscript(index: Int) -> Int {
        guard index >= 0, index < count else { return 0 }
        return Int((packed >> (Self.bits * UInt64(index))) & Self.maximum)
    }
}
