import Foundation
import RPC

/// `skills.v1`: which skills a ticket needs (the only owner of detection and of the learned vocabulary); per-tenant
/// learning and custom skills. Who has which skills is scoring's (``ScoringContract/profile``).
public enum SkillsContract {
    /// A method of this service: only a ``SkillsClient`` calls it.
    public typealias Method<Request: Codable & Sendable, Response: Codable & Sendable> = ServiceMethod<SkillsContract, Request, Response>

    static let service = "skills.v1"

    public static let detect = Method<DetectRequest, DetectResponse>(service: service, method: "Detect")
    public static let learn = Method<ScoringContract.LearnRequest, ScoringContract.LearnResponse>(service: service, method: "Learn")
    public static let putCustomSkills = Method<CustomSkills, CustomSkills>(service: service, method: "PutCustomSkills")
    public static let listCustomSkills = Method<StorageContract.Empty, CustomSkills>(service: service, method: "ListCustomSkills")
    /// Forgets everything the instance keeps of the tenant (learned vocabulary, custom skills); it reloads from storage on next use.
    public static let reset = Method<StorageContract.Empty, StorageContract.Empty>(service: service, method: "Reset")
    /// The skills each of a batch of tickets needs, as the local detector finds them with the tenant's custom skills and
    /// learned vocabulary (never the model): what scoring learns people's skills from, the resolved tickets they did.
    public static let ticketSkills = Method<TicketSkillsRequest, TicketSkillsResponse>(service: service, method: "TicketSkills")

    public struct DetectRequest: Codable, Sendable {
        public var title: String
        public var description: String
        public var components: [String]
        public var labels: [String]
        /// Ask the configured language model too (default true when one is configured).
        public var useModel: Bool?
        /// Storage's data version for the tenant as the caller last read it: when it differs from the
        /// one the tenant's learned vocabulary was built at, the service rebuilds the vocabulary in the
        /// background (at most every `skills.vocabularyRefreshSeconds`). Nil: no refresh.
        public var dataVersion: String?

        public init(title: String, description: String = "", components: [String] = [], labels: [String] = [], useModel: Bool? = nil,
                    dataVersion: String? = nil) {
            self.title = title
            self.description = description
            self.components = components
            self.labels = labels
            self.useModel = useModel
            self.dataVersion = dataVersion
        }

        /// The text a local detection depends on, as one string; its SHA-256 is the local result's
        /// `contentHash`.
        public var hashedText: String {
            [title, description, components.joined(separator: "\u{1F}"), labels.joined(separator: "\u{1F}")].joined(separator: "\u{1E}")
        }
    }

    public struct DetectResponse: Codable, Sendable, Equatable {
        public var skills: [DetectedSkill]
        /// `local`, `model`, or `local-fallback` (the model failed; see `modelError`).
        public var source: String
        public var modelError: String?
        /// SHA-256 of the text the result depends on.
        public var contentHash: String
        public var cached: Bool
        /// For a local result: the state of the tenant's detector it also depends on (taxonomy, custom
        /// skills, learned vocabulary). It changes whenever that state does, and when the service
        /// restarts, so `contentHash` + `vocabulary` identify a local result: detecting the same text
        /// again with the same vocabulary gives the same skills.
        public var vocabulary: String?

        public init(skills: [DetectedSkill], source: String, modelError: String? = nil, contentHash: String, cached: Bool,
                    vocabulary: String? = nil) {
            self.skills = skills
            self.source = source
            self.modelError = modelError
            self.contentHash = contentHash
            self.cached = cached
            self.vocabulary = vocabulary
        }

        /// What identifies this result among a ticket's stored skills: for a local result, its text and
        /// vocabulary (``SkillsContract/resultKey(contentHash:vocabulary:)``); otherwise its content hash.
        public var resultKey: String {
            guard source == "local", let vocabulary else { return contentHash }
            return SkillsContract.resultKey(contentHash: contentHash, vocabulary: vocabulary)
        }
    }

    /// The key of a local detection of text hashing to `contentHash` with `vocabulary`.
    public static func resultKey(contentHash: String, vocabulary: String) -> String {
        contentHash + "." + vocabulary
    }

    public struct TicketSkillsRequest: Codable, Sendable {
        /// At most ``maxTickets``.
        public var tickets: [Ticket]
        public static let maxTickets = 1_000
        public init(tickets: [Ticket]) { self.tickets = tickets }
    }

    public struct TicketSkillsResponse: Codable, Sendable, Equatable {
        /// The skills of each ticket of the request, in its order, heaviest first (without evidence words).
        public var skills: [[DetectedSkill]]
        public init(skills: [[DetectedSkill]]) { self.skills = skills }
    }

    public struct CustomSkills: Codable, Sendable, Equatable {
        public var items: [CustomSkill]
        public init(items: [CustomSkill]) { self.items = items }
    }
}
