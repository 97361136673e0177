import Foundation

/// An open ticket counted towards someone's workload.
public struct OpenTicket: Codable, Sendable, Equatable {
    public var storyPoints: Double?
    public var priority: String?
    public var updated: Date

    public init(storyPoints: Double?, priority: String?, updated: Date) {
        self.storyPoints = storyPoints
        self.priority = priority
        self.updated = updated
    }
}
