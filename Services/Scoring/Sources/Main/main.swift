import Lifecycle
import ScoringService

await ServiceRunner.main(name: "smart-ticket-scoring", summary: "SmartTicket scoring service.", sections: [ScoringSettings.self]) { setup in
    try await ScoringServer.makeService(setup)
}
