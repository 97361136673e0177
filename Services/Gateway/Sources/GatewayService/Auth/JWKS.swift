import Crypto
import Foundation

/// Reads a JSON Web Key Set, keeping the RSA keys meant for RS256 signatures.
enum JWKS {
    static func load(path: String) throws -> [String: RSAPublicKey] {
        guard let data = FileManager.default.contents(atPath: path), let keys = parse(data) else {
            throw GatewayError("cannot read the JWKS at \(path)")
        }
        return keys
    }

    /// The RS256 keys of a JWKS document by `kid` (keys of another type or use, or without a `kid`, are left out); nil
    /// when it is not a JWKS.
    static func parse(_ data: Data) -> [String: RSAPublicKey]? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let keys = object["keys"] as? [[String: Any]] else { return nil }
        var result: [String: RSAPublicKey] = [:]
        for key in keys {
            guard key["kty"] as? String == "RSA", let kid = key["kid"] as? String,
                  (key["alg"] as? String).map({ $0 == "RS256" }) ?? true,
                  (key["use"] as? String).map({ $0 == "sig" }) ?? true,
                  let n = (key["n"] as? String).flatMap({ Base64URL.decode(Substring($0)) }),
                  let e = (key["e"] as? String).flatMap({ Base64URL.decode(Substring($0)) }),
                  let rsa = RSAPublicKey(modulus: Array(n.drop { $0 == 0 }), exponent: e) else { continue }
            result[kid] = rsa
        }
        return result
    }
}

/// A gateway start-up problem.
struct GatewayError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
