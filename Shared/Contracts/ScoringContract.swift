import Foundation
import RPC

/// `scoring.v1`: ranks candidates with explanations, and learns from resolved tickets.
public enum ScoringContract {
    /// A method of this service: only a ``ScoringClient`` calls it.
    public typealias Method<Request: Codable & Sendable, Response: Codable & Sendable> = ServiceMethod<ScoringContract, Request, Response>

    static let service = "scoring.v1"

    public static let rank = Method<RankRequest, Ranking>(service: service, method: "Rank")
    /// Learns resolved tickets and overrides already in storage, if the instance has the tenant loaded (otherwise it
    /// reads them from storage when it loads the tenant); each ticket and override counts once. Sent to every instance.
    public static let learn = Method<LearnRequest, LearnResponse>(service: service, method: "Learn")
    /// Forgets everything the instance keeps of the tenant; it reloads from storage on next use. Sent to every instance.
    public static let reset = Method<StorageContract.Empty, StorageContract.Empty>(service: service, method: "Reset")
    /// Replays a project's resolved tickets with several weight sets and compares them (what-if).
    public static let whatIf = Method<WhatIfRequest, WhatIfResponse>(service: service, method: "WhatIf")

    public struct RankRequest: Codable, Sendable {
        public var ticket: Ticket
        public var settings: ProjectSettings
        /// Active people of the tenant; the project's pool rule picks the candidates among them.
        public var people: [Person]
        /// Each person's open tickets.
        public var openWork: [String: [OpenTicket]]
        /// Effort assigned to each person in the last 30 days.
        public var recentEffort: [String: Double]
        public var limit: Int?
        public var now: Date?
        /// When true, scoring ranks the tenant's active people from its own snapshot of people, open
        /// work and 30-day effort (refreshed whenever storage's data version changes) and `people`,
        /// `openWork` and `recentEffort` are ignored. The ranking then carries the candidates' names.
        public var snapshot: Bool?
        /// Only these people may be candidates (e.g. Jira's assignable users); nil for no restriction.
        public var restrictTo: [String]?
        /// With `snapshot`: storage's data version (``StorageContract/DataVersion``) the caller read after
        /// the request began; scoring then ranks from a snapshot at least that fresh without asking
        /// storage for the version itself. Nil: scoring asks storage.
        public var dataVersion: String?
        /// When true, the ranking's candidates come back as the decision log's JSON (``Ranking/written``).
        public var writeCandidates: Bool?
        /// The ticket's skills as the skills service wrote them (a JSON array of ``DetectedSkill``): matched
        /// against the skills people declared, and decoded only when a candidate declared any. Nil: none known.
        public var skillsJSON: [UInt8]?

        public init(ticket: Ticket, settings: ProjectSettings, people: [Person], openWork: [String: [OpenTicket]] = [:],
                    recentEffort: [String: Double] = [:], limit: Int? = nil, now: Date? = nil, snapshot: Bool? = nil,
                    restrictTo: [String]? = nil, dataVersion: String? = nil, writeCandidates: Bool? = nil, skillsJSON: [UInt8]? = nil) {
            self.skillsJSON = skillsJSON
            self.dataVersion = dataVersion
            self.writeCandidates = writeCandidates
            self.ticket = ticket
            self.settings = settings
            self.people = people
            self.openWork = openWork
            self.recentEffort = recentEffort
            self.limit = limit
            self.now = now
            self.snapshot = snapshot
            self.restrictTo = restrictTo
        }
    }

    /// Resolved tickets to learn from (tickets without an assignee or resolution are ignored), and manual
    /// overrides of recommendations (the model lowers the overridden person for that kind of ticket).
    public struct LearnRequest: Codable, Sendable {
        public var tickets: [Ticket]
        public var overrides: [Override]?
        public init(tickets: [Ticket], overrides: [Override]? = nil) {
            self.tickets = tickets
            self.overrides = overrides
        }
    }

    /// A recommendation (or automatic assignment) of `from` that a person replaced with `to`.
    public struct Override: Codable, Sendable, Equatable {
        public var ticket: Ticket
        public var from: String
        public var to: String?
        public var at: Date?
        public init(ticket: Ticket, from: String, to: String? = nil, at: Date? = nil) {
            self.ticket = ticket
            self.from = from
            self.to = to
            self.at = at
        }
    }

    /// What-if over the project's resolved tickets: one replay per weight set (1...5 sets; factor names
    /// from `ScoringFactor`, values 0...100; unnamed factors keep their defaults).
    public struct WhatIfRequest: Codable, Sendable, Equatable {
        public var project: String
        public var weights: [[String: Double]]
        public init(project: String, weights: [[String: Double]]) {
            self.project = project
            self.weights = weights
        }
    }

    /// The answer of `POST /api/v1/whatif` as it is, and what `smart-ticket replay --json` and `smart-ticket whatif --json`
    /// print: one shape, one set of names.
    public struct WhatIfResponse: Codable, Sendable, Equatable {
        /// Resolved tickets replayed (the API: resolved and assigned).
        public var tickets: Int
        public var results: [WhatIfResult]
        /// Why the figures may mean little (a history too small), each a sentence with the counts and what to do; empty
        /// when there is nothing to warn about.
        public var warnings: [String]
        public init(tickets: Int, results: [WhatIfResult], warnings: [String] = []) {
            self.tickets = tickets
            self.results = results
            self.warnings = warnings
        }
    }

    /// The figures of one weight set: accuracy over test tickets whose assignee was in the pool, load
    /// spread (Gini of first choices per person) and the mean skill fit of the first choices.
    public struct WhatIfResult: Codable, Sendable, Equatable {
        public var weights: [String: Double]
        /// Tickets ranked (the last 20% by resolution), and those of them whose assignee was in the candidate pool:
        /// the rates below are over `inPool`; `coverage` is `inPool / testTickets`.
        public var testTickets: Int
        public var inPool: Int
        public var coverage: Double
        public var top1: Double
        public var top3: Double
        public var top5: Double
        public var top10: Double
        public var mrr: Double
        public var loadGini: Double
        public var meanSkillFit: Double
        public init(weights: [String: Double], testTickets: Int, inPool: Int, coverage: Double, top1: Double, top3: Double, top5: Double,
                    top10: Double, mrr: Double, loadGini: Double, meanSkillFit: Double) {
            self.weights = weights
            self.testTickets = testTickets
            self.inPool = inPool
            self.coverage = coverage
            self.top1 = top1
            self.top3 = top3
            self.top5 = top5
            self.top10 = top10
            self.mrr = mrr
            self.loadGini = loadGini
            self.meanSkillFit = meanSkillFit
        }
    }

    public struct LearnResponse: Codable, Sendable, Equatable {
        public var learned: Int
        public init(learned: Int) { self.learned = learned }
    }
}
