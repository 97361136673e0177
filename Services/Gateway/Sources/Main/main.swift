import GatewayService
import Lifecycle

await ServiceRunner.main(
    name: "smart-ticket-gateway", summary: "SmartTicket gateway: the HTTP edge.", sections: [GatewaySettings.self],
    extraOptions: [.init("http-port", value: "N", help: "TCP port (overrides http.port; 0 picks a free port).")]
) { setup in
    try await GatewayServer.makeService(setup)
}
