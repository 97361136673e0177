import Contracts
import Foundation
import Model
import Testing
@testable import ScoringService

/// Scoring keeps no skill vocabulary of its own: a ticket without components is ranked with the components the
/// skills service predicted for it (sent with the request), and a ticket with components by its own.
@Suite struct DetectedSkillsTests {
    let epoch = Date(timeIntervalSince1970: 1_700_000_000)
    func day(_ n: Double) -> Date { epoch.addingTimeInterval(n * 86_400) }

    /// alice resolved the client tickets, bob the server ones.
    func model() -> TenantModel {
        let model = TenantModel()
        var tickets: [Ticket] = []
        for index in 0..<6 {
            let client = index % 2 == 0
            var ticket = Ticket(key: "T-\(index + 1)", project: "T", title: client ? "session handling" : "disk layout",
                                components: [client ? "client" : "server"], created: day(Double(index)))
            ticket.assignee = client ? "alice" : "bob"
            ticket.resolved = day(Double(index) + 0.5)
            tickets.append(ticket)
        }
        model.learn(tickets)
        return model
    }

    func request(_ ticket: Ticket, skills: [DetectedSkill]?) throws -> ScoringContract.RankRequest {
        let people = [Person(id: "alice", displayName: "Alice"), Person(id: "bob", displayName: "Bob")]
        return .init(ticket: ticket, settings: ProjectSettings(), people: people, limit: 5, now: day(10),
                     skillsJSON: try skills.map { Array(try JSONEncoder().encode($0)) })
    }

    func skillFit(_ ranking: Ranking) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: ranking.candidates.map { ($0.person, $0.factors["skillFit"]?.value ?? 0) })
    }

    /// (Ranked tickets are numbered far from the learned ones: no siblings.)
    @Test func predictedComponentsRankATicketWithoutComponents() throws {
        let model = model()
        let ticket = Ticket(key: "T-900", project: "T", title: "watches vanish", created: day(9))
        let predicted = [DetectedSkill(name: "zookeeper", weight: 0.8, source: .taxonomy),
                         DetectedSkill(name: "component:server", weight: 0.7, source: .learned)]
        let fits = skillFit(model.rank(try request(ticket, skills: predicted)))
        #expect(fits["bob"]! > fits["alice"]!, "\(fits)")
        // Without the skills service's answer (or with one that does not decode) nothing is guessed.
        let none = skillFit(model.rank(try request(ticket, skills: nil)))
        #expect(none.values.allSatisfy { $0 == 0 }, "\(none)")
        var garbled = try request(ticket, skills: nil)
        garbled.skillsJSON = Array("not json".utf8)
        #expect(skillFit(model.rank(garbled)).values.allSatisfy { $0 == 0 })
    }

    @Test func aTicketWithComponentsIsRankedByThem() throws {
        let model = model()
        let ticket = Ticket(key: "T-900", project: "T", title: "watches vanish", components: ["client"], created: day(9))
        let predicted = [DetectedSkill(name: "component:server", weight: 0.9, source: .learned)]
        let fits = skillFit(model.rank(try request(ticket, skills: predicted)))
        #expect(fits["alice"]! > fits["bob"]!, "\(fits)")
        var detected = DetectedSkills(try request(ticket, skills: predicted))
        #expect(detected.predictionsNeeded.isEmpty)
        #expect(detected.all == predicted)
    }

    /// Skills declared on the ticket (`requiredSkills`) are skills of the ticket at weight 1, with or without detection.
    @Test func skillsDeclaredOnTheTicketCount() throws {
        var ticket = Ticket(key: "T-900", project: "T", title: "something vague", created: day(9))
        ticket.requiredSkills = [.init(skill: "Kubernetes", minLevel: 2)]
        var ana = Person(id: "ana", displayName: "Ana"), bob = Person(id: "bob", displayName: "Bob")
        ana.declaredSkills = [.init(skill: "css", level: 5)]
        bob.declaredSkills = [.init(skill: "kubernetes", level: 4)]
        let request = ScoringContract.RankRequest(ticket: ticket, settings: ProjectSettings(), people: [ana, bob], limit: 5, now: day(10))
        let ranking = TenantModel().rank(request)
        #expect(skillFit(ranking)["bob"] == 0.8 && skillFit(ranking)["ana"] == 0, "\(ranking)")
        var detected = DetectedSkills(request, detected: [DetectedSkill(name: "kubernetes", weight: 0.4, source: .taxonomy),
                                                          DetectedSkill(name: "css", weight: 0.3, source: .taxonomy)])
        #expect(detected.all == [DetectedSkill(name: "kubernetes", weight: 1, source: .declared), DetectedSkill(name: "css", weight: 0.3, source: .taxonomy)])
    }
}
