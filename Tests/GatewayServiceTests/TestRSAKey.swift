import Crypto
import Foundation
import Harness

/// An RSA key pair for tests, made and used by the `openssl` command (no signing code of our own): its public half as
/// a JWK, and RS256 tokens signed with its private half.
struct TestRSAKey {
    let kid: String
    let directory: TemporaryDirectory
    var privateKey: String { directory.file("key.pem") }

    init(kid: String) throws {
        self.kid = kid
        directory = TemporaryDirectory(prefix: "rsa")
        try Self.openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", directory.file("key.pem")])
    }

    /// The public key as a JWK (`kty`, `kid`, `use`, `alg`, `n`, `e`).
    func jwk() throws -> [String: String] {
        let modulus = try Self.openssl(["rsa", "-in", privateKey, "-noout", "-modulus"])
        let hex = modulus.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "Modulus=", with: "")
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return ["kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": Base64URL.encode(bytes), "e": "AQAB"]
    }

    /// A JWKS document of `keys`.
    static func jwks(_ keys: [TestRSAKey]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: ["keys": try keys.map { try $0.jwk() }]), as: UTF8.self)
    }

    /// A token with `header` (alg RS256 and this key's kid unless given) and `claims`, signed by `openssl dgst -sign`.
    func sign(_ claims: [String: Any], header: [String: Any]? = nil) throws -> String {
        let head = header ?? ["alg": "RS256", "typ": "JWT", "kid": kid]
        let input = Base64URL.encode(try JSONSerialization.data(withJSONObject: head, options: [.sortedKeys]))
            + "." + Base64URL.encode(try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
        let file = directory.file("input-\(UUID().uuidString)")
        try Data(input.utf8).write(to: URL(fileURLWithPath: file))
        let signature = try Self.opensslData(["dgst", "-sha256", "-sign", privateKey, "-binary", file])
        return input + "." + Base64URL.encode(signature)
    }

    @discardableResult
    static func openssl(_ arguments: [String]) throws -> String {
        String(decoding: try opensslData(arguments), as: UTF8.self)
    }

    static func opensslData(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SystemError("openssl \(arguments.first ?? "") failed (is openssl installed? scripts/install-deps)") }
        return data
    }
}
