import Foundation
import RPC

/// `skills.v1`: which skills a ticket needs; per-tenant learning and custom skills.
public enum SkillsContract {
    static let service = "skills.v1"

    public static let detect = MethodDescriptor<DetectRequest, DetectResponse>(service: service, method: "Detect")
    public static let learn = MethodDescriptor<ScoringContract.LearnRequest, ScoringContract.LearnResponse>(service: service, method: "Learn")
    public static let putCustomSkills = MethodDescriptor<CustomSkills, CustomSkills>(service: service, method: "PutCustomSkills")
    public static let listCustomSkills = MethodDescriptor<StorageContract.Empty, CustomSkills>(service: service, method: "ListCustomSkills")

    public struct DetectRequest: Codable, Sendable {
        public var title: String
        public var description: String
        public var components: [String]
        public var labels: [String]
        /// Ask the configured language model too (default true when one is configured).
        public var useModel: Bool?

        public init(title: String, description: String = "", components: [String] = [], labels: [String] = [], useModel: Bool? = nil) {
            self.title = title
            self.description = description
            self.components = components
            self.labels = labels
            self.useModel = useModel
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

        public init(skills: [DetectedSkill], source: String, modelError: String? = nil, contentHash: String, cached: Bool) {
            self.skills = skills
            self.source = source
            self.modelError = modelError
            self.contentHash = contentHash
            self.cached = cached
        }
    }

    public struct CustomSkills: Codable, Sendable, Equatable {
        public var items: [CustomSkill]
        public init(items: [CustomSkill]) { self.items = items }
    }
}
