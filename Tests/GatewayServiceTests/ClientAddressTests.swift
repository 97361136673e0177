import Foundation
import HTTP
import Lifecycle
import Testing
@testable import GatewayService

@Suite struct ClientAddressTests {
    func request(peer: String?, forwardedFor: String? = nil, proto: String? = nil) -> HTTPRequest {
        var headers: [String: String] = [:]
        if let forwardedFor { headers["x-forwarded-for"] = forwardedFor }
        if let proto { headers["x-forwarded-proto"] = proto }
        return HTTPRequest(method: "GET", path: "/", headers: headers, peer: peer)
    }

    @Test func forwardedHeadersFromAnUntrustedPeerAreIgnored() {
        let trusted = ClientAddress.TrustedProxies(["10.0.0.0/8"])
        let client = ClientAddress.resolve(request(peer: "192.0.2.1", forwardedFor: "203.0.113.9", proto: "https"), trusted: trusted)
        #expect(client == ClientAddress(address: "192.0.2.1", scheme: "http"))
        let none = ClientAddress.resolve(request(peer: "127.0.0.1", forwardedFor: "203.0.113.9"), trusted: .init([]))
        #expect(none.address == "127.0.0.1")
    }

    @Test func aTrustedProxyNamesTheClientAndScheme() {
        let trusted = ClientAddress.TrustedProxies(["10.0.0.0/8", "127.0.0.1"])
        let client = ClientAddress.resolve(request(peer: "10.1.2.3", forwardedFor: "203.0.113.9", proto: "https"), trusted: trusted)
        #expect(client == ClientAddress(address: "203.0.113.9", scheme: "https"))
        // A chain: the rightmost address that is not a trusted proxy; what the client itself put first is not believed.
        let chain = ClientAddress.resolve(request(peer: "127.0.0.1", forwardedFor: "6.6.6.6, 198.51.100.4, 10.9.9.9"), trusted: trusted)
        #expect(chain.address == "198.51.100.4")
        // Garbage stops the walk at the last good hop; an unknown scheme is plain http.
        let garbage = ClientAddress.resolve(request(peer: "10.0.0.1", forwardedFor: "<script>, 10.0.0.2", proto: "gopher"), trusted: trusted)
        #expect(garbage == ClientAddress(address: "10.0.0.2", scheme: "http"))
        let ipv6 = ClientAddress.resolve(request(peer: "10.0.0.1", forwardedFor: "2001:db8::1"), trusted: trusted)
        #expect(ipv6.address == "2001:db8::1")
    }

    @Test func networksMatchByPrefix() {
        let trusted = ClientAddress.TrustedProxies(["172.16.0.0/12", "192.168.1.7"])
        #expect(trusted.contains("172.31.255.255"))
        #expect(!trusted.contains("172.32.0.1"))
        #expect(trusted.contains("192.168.1.7"))
        #expect(!trusted.contains("192.168.1.8"))
        #expect(!trusted.contains("not-an-ip"))
        #expect(ClientAddress.TrustedProxies(["0.0.0.0/0"]).contains("8.8.8.8"))
    }

    @Test func ipv4AcceptsOnlyFourDecimalOctets() {
        #expect(ClientAddress.TrustedProxies.ipv4("1.2.3.4") == 0x0102_0304)
        #expect(ClientAddress.TrustedProxies.ipv4("255.255.255.255") == 0xFFFF_FFFF)
        #expect(ClientAddress.TrustedProxies.ipv4("0.0.0.0") == 0)
        #expect(ClientAddress.TrustedProxies.ipv4("010.001.0.9") == 0x0A01_0009)
        for bad in ["", "1.2.3", "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.", "256.1.1.1", "1.2.3.999", "1234.1.1.1", "1.2.3.4 ",
                    " 1.2.3.4", "+1.2.3.4", "1.2.3.-4", "a.b.c.d", "\u{FF11}.2.3.4", "1.2.3.4/8", "::1"] {
            #expect(ClientAddress.TrustedProxies.ipv4(bad) == nil, "\(bad)")
        }
    }

    @Test func theConfigurationKeyTakesAListOrCommaSeparatedTextAndNamesBadEntries() throws {
        var configuration = Configuration(sections: [GatewaySettings.self])
        try configuration.set("http.trustedProxies", "127.0.0.1, 10.0.0.0/8")
        #expect(configuration[GatewaySettings.self].trustedProxies == ["127.0.0.1", "10.0.0.0/8"])
        let loaded = try Configuration.load(file: nil, environment: ["SMART_TICKET_HTTP_TRUSTED_PROXIES": "192.168.0.0/16"], sections: [GatewaySettings.self])
        #expect(loaded[GatewaySettings.self].trustedProxies == ["192.168.0.0/16"])
        let file = NSTemporaryDirectory() + "trusted-\(UUID().uuidString).json"
        try Data(#"{"http": {"trustedProxies": ["10.0.0.1", "172.16.0.0/12"]}}"#.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(try Configuration.load(file: file, environment: [:], sections: [GatewaySettings.self])[GatewaySettings.self].trustedProxies
                == ["10.0.0.1", "172.16.0.0/12"])
        for bad in ["10.0.0.0/33", "300.1.1.1", "example.com", "1.2.3", "+1.2.3.4"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try configuration.set("http.trustedProxies", bad) }
        }
        do {
            try configuration.set("http.trustedProxies", "10.0.0.1,nope")
            Issue.record("accepted a bad entry")
        } catch {
            #expect(error.message.contains("'nope' is not an IPv4 address or CIDR"))
        }
    }
}
