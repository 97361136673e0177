import HTTP

/// Who is really calling: the socket peer, or, when the peer is a trusted reverse proxy, the client
/// named by `X-Forwarded-For` (and the scheme of `X-Forwarded-Proto`). Headers from anyone else are ignored.
struct ClientAddress: Sendable, Equatable {
    let address: String
    let scheme: String

    /// Trusted proxies as IPv4 networks.
    struct TrustedProxies: Sendable {
        private let networks: [(base: UInt32, mask: UInt32)]

        /// Entries are IPv4 addresses or CIDRs (validated by the configuration); invalid entries are skipped.
        init(_ entries: [String]) {
            networks = entries.compactMap { entry in
                let parts = entry.split(separator: "/")
                guard let base = TrustedProxies.ipv4(String(parts[0])) else { return nil }
                let bits = parts.count == 2 ? Int(parts[1]) ?? 32 : 32
                let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - min(32, max(0, bits)))
                return (base & mask, mask)
            }
        }

        var isEmpty: Bool { networks.isEmpty }

        func contains(_ address: String) -> Bool {
            guard let value = TrustedProxies.ipv4(address) else { return false }
            return networks.contains { value & $0.mask == $0.base }
        }

        /// The value of a dotted-quad IPv4 address (four decimal octets of one to three digits, each
        /// at most 255), read on its UTF-8 bytes: this runs for the peer of every request.
        static func ipv4(_ text: String) -> UInt32? {
            var value: UInt32 = 0
            var octet: UInt32 = 0
            var digits = 0
            var dots = 0
            for byte in text.utf8 {
                if byte == UInt8(ascii: ".") {
                    guard digits > 0, dots < 3 else { return nil }
                    value = value << 8 | octet
                    (octet, digits, dots) = (0, 0, dots + 1)
                } else {
                    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 3 else { return nil }
                    octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
                    digits += 1
                    guard octet <= 255 else { return nil }
                }
            }
            guard digits > 0, dots == 3 else { return nil }
            return value << 8 | octet
        }
    }

    /// The client of `request` given the proxies trusted.
    static func resolve(_ request: HTTPRequest, trusted: TrustedProxies) -> ClientAddress {
        let peer = request.peer ?? "unknown"
        guard trusted.contains(peer) else { return ClientAddress(address: peer, scheme: "http") }
        // The rightmost address that is not one of our proxies is the client; a malformed entry stops the walk.
        var address = peer
        if let header = request.header("x-forwarded-for"), header.utf8.count <= 2048 {
            for hop in header.split(separator: ",").reversed().map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard isAddress(hop) else { break }
                address = hop
                if !trusted.contains(hop) { break }
            }
        }
        let proto = request.header("x-forwarded-proto")?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces).lowercased()
        return ClientAddress(address: address, scheme: proto == "https" || proto == "http" ? proto! : "http")
    }

    /// An IPv4 or IPv6 address as text (nothing else reaches the logs).
    static func isAddress(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 45 else { return false }
        if TrustedProxies.ipv4(text) != nil { return true }
        return text.contains(":") && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
}
