import Lifecycle
import StorageService

await ServiceRunner.main(name: "smart-ticket-storage", summary: "SmartTicket storage service.", sections: [StorageSettings.self]) { setup in
    try await StorageServer.makeService(setup)
}
