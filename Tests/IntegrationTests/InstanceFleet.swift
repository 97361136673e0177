import Contracts
import Foundation
import Harness
import RPC

/// Direct clients of each scoring and skills instance of a running system, to ask every instance the same question
/// (through the gateway, a question reaches whichever instance is next).
struct InstanceFleet {
    let tenant: String
    let scoring: [ScoringClient]
    let skills: [SkillsClient]

    init(_ system: RunningSystem, tenant: String, scoring: Int = 2, skills: Int = 2) {
        self.tenant = tenant
        self.scoring = (0..<scoring).map {
            ScoringClient(service: "scoring", socketPaths: [system.runDirectory.socket(.scoring, instance: $0)], defaultTimeout: 60)
        }
        self.skills = (0..<skills).map {
            SkillsClient(service: "skills", socketPaths: [system.runDirectory.socket(.skills, instance: $0)], defaultTimeout: 60)
        }
    }

    func close() {
        for client in scoring.map(\.rpc) + skills.map(\.rpc) { client.close() }
    }

    private var metadata: Metadata { Metadata(tenant: tenant, principal: "test") }

    /// Each scoring instance's ranking of `ticket` (stored or not) over every active person of the tenant.
    func rankings(_ ticket: Ticket) async throws -> [Ranking] {
        var settings = ProjectSettings()
        settings.candidatePool = "all"
        var rankings: [Ranking] = []
        for client in scoring {
            rankings.append(try await client.call(ScoringContract.rank, .init(ticket: ticket, settings: settings, people: [], limit: 20,
                                                                              snapshot: true), metadata: metadata))
        }
        return rankings
    }

    /// Each scoring instance's ranking of a new ticket titled `title` in project `project`.
    func rankings(title: String, project: String = "OPS", components: [String] = []) async throws -> [Ranking] {
        try await rankings(Ticket(key: "\(project)-9999", project: project, title: title, components: components, created: Date()))
    }

    /// Each skills instance's vocabulary tag for the tenant (it changes whenever the instance learns or reloads).
    func vocabularies() async throws -> [String?] {
        var tags: [String?] = []
        for client in skills {
            tags.append(try await client.call(SkillsContract.detect, .init(title: "probe", useModel: false), metadata: metadata).vocabulary)
        }
        return tags
    }

    /// Each skills instance's custom skills for the tenant.
    func customSkills() async throws -> [[String]] {
        var lists: [[String]] = []
        for client in skills {
            lists.append(try await client.call(SkillsContract.listCustomSkills, .init(), metadata: metadata).items.map(\.id))
        }
        return lists
    }

    /// The value of `factor` for `person` in `ranking` (nil when not ranked).
    static func factor(_ factor: String, of person: String, in ranking: Ranking) -> Double? {
        ranking.candidates.first { $0.person == person }?.factors[factor]?.value
    }
}
