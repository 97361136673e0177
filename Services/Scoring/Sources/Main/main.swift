import Lifecycle
import ScoringService

// Scoring has no keys of its own: Lifecycle's are all it reads.
await ServiceRunner.main(name: "smart-ticket-scoring", summary: "SmartTicket scoring service.", sections: []) { setup in
    try await ScoringServer.makeService(setup)
}
