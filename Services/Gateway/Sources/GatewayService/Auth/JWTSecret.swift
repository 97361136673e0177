import Foundation
import Lifecycle

/// Where the HS256 key for SmartTicket tokens comes from: `SMART_TICKET_JWT_SECRET`, then
/// `auth.jwtSecret`, then a random key kept in `dataDir/jwt-secret` (mode 0600, created on first use).
public enum JWTSecret {
    /// The key's file when none is configured.
    public static func filePath(dataDir: String) -> String { "\(dataDir)/jwt-secret" }

    /// The key of the gateway's `settings`, with `dataDir` the configuration's; with `create`, a missing key
    /// file is created with 32 random bytes.
    public static func resolve(_ settings: GatewaySettings, dataDir: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment, create: Bool) throws -> [UInt8] {
        if let secret = environment["SMART_TICKET_JWT_SECRET"], !secret.isEmpty { return try checked(Array(secret.utf8)) }
        if !settings.jwtSecret.isEmpty { return try checked(Array(settings.jwtSecret.utf8)) }
        let path = filePath(dataDir: dataDir)
        if let data = FileManager.default.contents(atPath: path), !data.isEmpty { return try checked(Array(data)) }
        guard create else {
            throw ConfigurationError("no JWT secret: set SMART_TICKET_JWT_SECRET or `auth.jwtSecret`, or start `smart-ticket serve` once to create \(path)")
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        let fd = open("/dev/urandom", O_RDONLY)
        guard fd >= 0, read(fd, &bytes, 32) == 32 else { throw ConfigurationError("cannot read /dev/urandom") }
        close(fd)
        let secret = Array(bytes.map { String(format: "%02x", $0) }.joined().utf8)
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(secret), attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError("cannot write \(path)")
        }
        return secret
    }

    /// The key of `configuration`, which holds the gateway's section.
    public static func resolve(_ configuration: Configuration, environment: [String: String] = ProcessInfo.processInfo.environment,
                               create: Bool) throws -> [UInt8] {
        try resolve(configuration[GatewaySettings.self], dataDir: configuration.dataDir, environment: environment, create: create)
    }

    private static func checked(_ secret: [UInt8]) throws -> [UInt8] {
        guard secret.count >= 16 else { throw ConfigurationError("the JWT secret must be at least 16 bytes") }
        return secret
    }
}
