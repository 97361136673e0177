import Contracts
import Foundation
import JSONKit
import RPC

/// Fully populated (every optional set, no empty collection) and minimal values of the messages
/// with a `BinaryCodable` conformance. Small on purpose: every byte of them is altered in the tests.
enum Fixtures {
    static let date = Date(timeIntervalSince1970: 1_732_000_000.25)

    static let ticket = Ticket(
        key: "PAY-12", project: "PAY", title: "Checkout times out — ünïcödé 🚀", description: "The provider is slow.",
        components: ["checkout", "payments"], labels: ["performance"], priority: "High", storyPoints: 5.5, status: .inProgress,
        assignee: "alice", created: date, updated: date.addingTimeInterval(60), resolved: date.addingTimeInterval(3600),
        requiredSkills: [.init(skill: "payments", minLevel: 3)])
    static let minimalTicket = Ticket(key: "K-1", project: "K", title: "", created: Date(timeIntervalSince1970: 0))

    static let settings = ProjectSettings(weights: ["skillFit": 0.4, "workload": 1.5], autoAssign: true, confidenceThreshold: 0.3,
                                          staleDays: 14, candidatePool: "assignable", defaultAssignee: "bob",
                                          requiredSkills: [.init(skill: "go", minLevel: 4)], explainInJira: true)
    static let minimalSettings = ProjectSettings(weights: [:])

    static let project = Project(key: "PAY", name: "Payments", settings: settings)
    static let minimalProject = Project(key: "K", name: "", settings: minimalSettings)

    static let storedSkills = StorageContract.StoredSkills(contentHash: "ab12.v3", json: Array(#"[{"name":"go"}]"#.utf8))
    static let minimalStoredSkills = StorageContract.StoredSkills(contentHash: "", json: [])

    static let person = Person(
        id: "5b10a2844c20165700ede21g", displayName: "Ada Lovelace", timeZone: "Europe/London", weeklyCapacity: 32,
        capacityUnit: "hours", workingHours: .init(start: "08:00", end: "16:00", days: [1, 2, 3]),
        timeOff: [.init(start: "2026-12-24", end: "2026-12-31", reason: "holidays")], declaredSkills: [.init(skill: "go", level: 4)],
        active: false, optedOut: true, assignable: true)
    static let minimalPerson = Person(id: "p", displayName: "")

    static let openTicket = OpenTicket(storyPoints: 3, priority: "Low", updated: date)
    static let minimalOpenTicket = OpenTicket(storyPoints: nil, priority: nil, updated: Date(timeIntervalSince1970: 0))

    static let rankRequest = ScoringContract.RankRequest(
        ticket: ticket, settings: settings, people: [person], openWork: ["alice": [openTicket]], recentEffort: ["alice": 8.5],
        limit: 5, now: date, snapshot: true, restrictTo: ["alice", "bob"], dataVersion: "v42", writeCandidates: true,
        skillsJSON: Array(#"[{"evidence":["pods"],"name":"kubernetes","source":"taxonomy","weight":0.9}]"#.utf8))
    static let minimalRankRequest = ScoringContract.RankRequest(ticket: minimalTicket, settings: minimalSettings, people: [])

    static let candidate = RankedCandidate(
        person: "alice", score: 0.82,
        factors: ["skillFit": .init(value: 0.9, weight: 0.4, contribution: 0.36), "workload": .init(value: 0.5, weight: 0.3, contribution: 0.15)],
        reasons: ["resolved 4 similar tickets"])
    static let minimalCandidate = RankedCandidate(person: "", score: 0)

    static var ranking: Ranking {
        var ranking = Ranking(candidates: [candidate], confidence: 0.4, action: .assign, assignee: "alice", note: "clear winner")
        ranking.names = ["alice": "Alice"]
        ranking.written = try! CandidatesJSON([candidate])
        return ranking
    }
    static let minimalRanking = Ranking(candidates: [], confidence: 0, action: .unassigned, assignee: nil, note: "")

    static let decision = Decision(id: 4242, ticket: "PAY-12", project: "PAY", mode: .override, chosen: "bob", previous: "alice",
                                   candidates: [candidate], actor: "carol", at: date, reason: "knows the provider")
    static let minimalDecision = Decision(ticket: "K-1", project: "K", mode: .suggested, chosen: nil, actor: "system",
                                          at: Date(timeIntervalSince1970: 0))

    static let decisionRecord = StorageContract.DecisionRecord(
        ticket: "PAY-12", project: "PAY", mode: .auto, chosen: "alice", previous: "bob", candidatesJSON: Array(#"[{"person":"alice"}]"#.utf8),
        actor: "system", at: date, reason: "top score")
    static let minimalDecisionRecord = StorageContract.DecisionRecord(ticket: "K-1", project: "K", mode: .manual, chosen: nil,
                                                                      candidatesJSON: [], actor: "", at: Date(timeIntervalSince1970: 0))

    static let detectedSkill = DetectedSkill(name: "payments", weight: 0.7, source: .learned, evidence: ["checkout", "provider"])
    static let minimalDetectedSkill = DetectedSkill(name: "", weight: 0, source: .taxonomy)

    static let detectRequest = SkillsContract.DetectRequest(title: "Checkout times out", description: "The provider is slow.",
                                                            components: ["checkout"], labels: ["performance"], useModel: false,
                                                            dataVersion: "v42")
    static let minimalDetectRequest = SkillsContract.DetectRequest(title: "")

    static let detectResponse = SkillsContract.DetectResponse(skills: [detectedSkill], source: "local-fallback", modelError: "timeout",
                                                              contentHash: "ab12", cached: true, vocabulary: "v3")
    static let minimalDetectResponse = SkillsContract.DetectResponse(skills: [], source: "", contentHash: "", cached: false)

    static let echo = EchoMessage.sample(descriptionBytes: 40)
    static let minimalEcho = EchoMessage(key: "", project: "", title: "", description: "", components: [], labels: [], priority: nil,
                                         storyPoints: nil, created: Date(timeIntervalSince1970: 0), skills: [], attributes: [:])
}
