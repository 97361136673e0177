import Contracts
import Foundation
import JSONKit
import RPC
import Wire

/// The messages one recommendation sends and receives over RPC, for the codec figures.
extension RPCBench {
    /// Encode + decode of every request and answer of one recommendation (GetTicketContext, Detect,
    /// Rank with written candidates, AppendDecisionRecord) with `codec`; returns the bytes moved.
    static func recommendationPair(_ codec: any MessageCodec, _ messages: RecommendationMessages) throws -> Int {
        var size = 0
        func pair<T: Codable>(_ value: T) throws {
            var body: [UInt8] = []
            try codec.encode(value, appendingTo: &body)
            _ = try codec.decode(T.self, from: body)
            size += body.count
        }
        try pair(messages.contextRequest)
        try pair(messages.context)
        try pair(messages.detect)
        try pair(messages.detected)
        try pair(messages.rank)
        try pair(messages.ranking)
        try pair(messages.record)
        try pair(messages.recordID)
        return size
    }

    struct RecommendationMessages {
        var contextRequest: StorageContract.TicketContextRequest
        var context: StorageContract.TicketContext
        var detect: SkillsContract.DetectRequest
        var detected: SkillsContract.DetectResponse
        var rank: ScoringContract.RankRequest
        var ranking: Ranking
        var record: StorageContract.DecisionRecord
        var recordID: StorageContract.DecisionID
    }

    /// A recommendation's messages as the gateway exchanges them: a 1 KB ticket, 20 assignable people,
    /// 5 detected skills, 10 ranked candidates (as JSON), the decision with its candidates' JSON.
    static func sampleRecommendation() throws -> RecommendationMessages {
        let echo = EchoMessage.sample()
        let ticket = Ticket(key: echo.key, project: echo.project, title: echo.title, description: echo.description,
                            components: echo.components, labels: echo.labels, priority: echo.priority, storyPoints: echo.storyPoints,
                            created: echo.created, updated: echo.created.addingTimeInterval(3600))
        let people = (0..<20).map { "5b10a2844c20165700ede2\(10 + $0)" }
        let skills = echo.skills.map { DetectedSkill(name: $0.name, weight: $0.weight, source: .taxonomy, evidence: [$0.name, "quorum"]) }
        var skillsJSON = JSONWriter(capacity: 512)
        try skillsJSON.skills(skills)
        let context = StorageContract.TicketContext(
            ticket: ticket, project: Project(key: echo.project, name: "ZooKeeper"),
            setting: Data(try JSONEncoder().encode(people)), skills: .init(contentHash: String(repeating: "ab", count: 32) + ".v7", json: skillsJSON.bytes),
            dataVersion: "1732000000-4242")
        let decision = sampleDecision(candidates: 10)
        var ranking = Ranking(candidates: decision.candidates, confidence: 0.31, action: .suggest, assignee: nil, note: "top score")
        ranking.names = Dictionary(uniqueKeysWithValues: decision.candidates.map { ($0.person, "Person \($0.person)") })
        try ranking.writeCandidates()
        return RecommendationMessages(
            contextRequest: .init(key: ticket.key, settingPrefix: "jira.assignable."),
            context: context,
            detect: .init(title: ticket.title, description: ticket.description, components: ticket.components, labels: ticket.labels,
                          dataVersion: context.dataVersion),
            detected: .init(skills: skills, source: "local", contentHash: String(repeating: "ab", count: 32), cached: false, vocabulary: "v7"),
            rank: .init(ticket: ticket, settings: ProjectSettings(), people: [], snapshot: true, restrictTo: people,
                        dataVersion: context.dataVersion, writeCandidates: true),
            ranking: ranking,
            record: try .init(decision),
            recordID: .init(id: 4242))
    }
}
