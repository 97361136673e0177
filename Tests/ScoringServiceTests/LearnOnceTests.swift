import Contracts
import Foundation
import Model
import Observability
import Testing
@testable import ScoringService

/// Every instance is told every change, and a model loading meanwhile also reads it from storage: a ticket or an
/// override told twice counts once.
@Suite struct LearnOnceTests {
    @Test func aTicketOrAnOverrideToldTwiceCountsOnce() {
        let model = TenantModel()
        var ticket = Ticket(key: "T-1", project: "T", title: "ledger export fails", created: Date(timeIntervalSince1970: 0))
        ticket.assignee = "alice"
        ticket.status = .done
        ticket.resolved = Date(timeIntervalSince1970: 86_400)
        #expect(model.learn([ticket]) == 1)
        #expect(model.learn([ticket]) == 0)
        let override = ScoringContract.Override(ticket: ticket, from: "alice", to: "bob", at: Date(timeIntervalSince1970: 90_000))
        #expect(model.learnOverrides([override]) == 1)
        #expect(model.learnOverrides([override, override]) == 0)
        #expect(model.learnOverrides([.init(ticket: ticket, from: "bob", to: "carol")]) == 1)
    }
}

/// A tenant's model loads its history in stages (the skills of the next stage asked for while this one is learned):
/// the model is the one learning everything at once makes.
@Suite struct LearningInStagesTests {
    @Test func stagesLearnWhatOneCallLearns() async {
        let people = ["alice", "bob", "carol", "dave"]
        let words = ["ledger", "export", "kafka", "lag", "login", "safari", "query", "slow", "certificate", "renewal"]
        let tickets = (0..<60).map { index -> Ticket in
            // Resolution dates out of listing order, as storage lists by insertion.
            var ticket = Ticket(key: "T-\(index)", project: "T", title: "\(words[index % 10]) \(words[(index * 7) % 10]) \(index)",
                                components: [["web", "data", "ops"][index % 3]], created: Date(timeIntervalSince1970: Double(index) * 3_600))
            ticket.assignee = people[(index * 5) % 4]
            ticket.status = .done
            ticket.resolved = Date(timeIntervalSince1970: 1_000_000 + Double((index * 37) % 60) * 86_400)
            return ticket
        }
        let atOnce = TenantModel()
        #expect(atOnce.learn(tickets) == 60)
        let inStages = TenantModel()
        let reader = TicketSkillsReader(skills: nil, logger: Logger(label: "test", level: .error))
        await TenantModels.learnInStages(tickets, into: inStages, ticketSkills: reader, tenant: "acme", stageSize: 7)
        #expect(inStages.learn(tickets) == 0, "every ticket was learned in the stages")
        let now = Date(timeIntervalSince1970: 1_000_000 + 70 * 86_400)
        for person in people {
            #expect(inStages.profile(of: person, now: now) == atOnce.profile(of: person, now: now), "\(person)")
            #expect(!atOnce.profile(of: person, now: now).isEmpty, "\(person) has a profile to compare")
        }

        // A new model learns the newest tickets first and the older ones behind them: once it has all, it ranks as
        // the model that learned them in resolution order (to rounding).
        let newestFirst = TenantModel()
        let byResolution = tickets.sorted { $0.resolved! > $1.resolved! }
        await TenantModels.learnInStages(Array(byResolution.prefix(20)), into: newestFirst, ticketSkills: reader, tenant: "acme", stageSize: 7)
        await TenantModels.learnInStages(Array(byResolution.dropFirst(20)), into: newestFirst, ticketSkills: reader, tenant: "acme", stageSize: 7)
        let team = people.map { Person(id: $0, displayName: $0) }
        for title in ["kafka lag in export", "login fails on safari", "slow ledger query", "certificate renewal"] {
            let open = Ticket(key: "T-OPEN", project: "T", title: title, components: ["data"], created: now)
            let request = ScoringContract.RankRequest(ticket: open, settings: ProjectSettings(), people: team, now: now)
            let expected = atOnce.rank(request).candidates
            let ranked = newestFirst.rank(request).candidates
            #expect(ranked.map(\.person) == expected.map(\.person), "\(title)")
            for (got, want) in zip(ranked, expected) { #expect(abs(got.score - want.score) < 1e-9, "\(title): \(got.person)") }
        }
    }
}
