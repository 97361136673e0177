import Foundation

// libFuzzer target: the gateway's JWT verifier (GatewayService JWTVerifier).
// Mode (first byte % 3): 0 the input is the whole token; 1 the input is the claims JSON of a
// correctly HS256-signed token (reaching the claims checks behind the signature); 2 the input is
// the header JSON of a signed token. Every bad token must be refused with AuthError, never crash;
// a token with a forged signature must never verify.

let secret = Array("fuzzing-secret-fuzzing-secret-32".utf8)
let verifier = JWTVerifier(hmac: .init(secret: secret))
let now = Date(timeIntervalSince1970: 1_800_000_000)

func signed(header: [UInt8], claims: [UInt8]) -> String {
    let body = Base64URL.encode(header) + "." + Base64URL.encode(claims)
    return body + "." + Base64URL.encode(Digest.hmacSHA256(key: secret, message: Array(body.utf8)))
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let token: String
    switch data[0] % 3 {
    case 0:
        token = String(decoding: input, as: UTF8.self)
        if let principal = try? verifier.verify(token, now: now) {
            // Only possible with the real key: the fuzzer cannot produce an HMAC.
            let parts = token.split(separator: ".", omittingEmptySubsequences: false)
            precondition(parts.count == 3, "verified a token without three parts")
            _ = principal
        }
        return 0
    case 1:
        token = signed(header: Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8), claims: input)
    default:
        token = signed(header: input, claims: Array(#"{"iss":"smart-ticket","aud":"smart-ticket","sub":"s","tid":"t","exp":1900000000}"#.utf8))
    }
    if let principal = try? verifier.verify(token, now: now) {
        precondition(!principal.subject.isEmpty && !principal.tenant.isEmpty, "principal without subject or tenant")
    }
    return 0
}
