import Lifecycle
import SkillsService

await ServiceRunner.main(name: "smart-ticket-skills", summary: "SmartTicket skills service.", sections: [SkillsSettings.self]) { setup in
    try await SkillsServer.makeService(setup)
}
