import Lifecycle
import ScoringService

await ServiceRunner.main(name: "smart-ticket-scoring", summary: "SmartTicket scoring service.") { setup in
    try await ScoringServer.makeService(setup)
}
