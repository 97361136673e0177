import COpenSSL
import Foundation

/// Hashes and MACs from OpenSSL's libcrypto (never written by hand).
public enum Digest {
    /// SHA-256 of `bytes`.
    public static func sha256<Bytes: ContiguousBytes>(_ bytes: Bytes) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        var length: UInt32 = 0
        let done = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &out, &length, FetchedDigest.sha256.md, nil) == 1
        }
        guard done, length == SHA256_DIGEST_LENGTH else { fatalError("OpenSSL SHA-256 failed") }
        return out
    }

    /// SHA-256 of a string's UTF-8 bytes, as lowercase hex.
    public static func sha256Hex(_ text: String) -> String { hex(sha256(Array(text.utf8))) }

    /// HMAC-SHA256 of `message` under `key`.
    public static func hmacSHA256<Key: ContiguousBytes, Message: ContiguousBytes>(key: Key, message: Message) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                _ = HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count),
                         messageBytes.bindMemory(to: UInt8.self).baseAddress, messageBytes.count, &out, &length)
            }
        }
        return Array(out.prefix(Int(length)))
    }

    /// Compares two byte strings in time independent of where they differ.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in CRYPTO_memcmp(left.baseAddress, right.baseAddress, a.count) == 0 }
        }
    }

    /// `count` cryptographically random bytes.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&out, Int32(count)) == 1 else { fatalError("OpenSSL RAND_bytes failed") }
        return out
    }

    /// 64 bits from the system's random source as 16 lowercase hex digits: an identifier to correlate
    /// logs (a trace id), not a secret, so it skips OpenSSL's DRBG.
    public static func randomIdentifier() -> String {
        withUnsafeBytes(of: UInt64.random(in: .min ... .max)) { hex(Array($0)) }
    }

    /// Lowercase hex of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// An OpenSSL digest implementation fetched once: OpenSSL 3's one-shot `SHA256()` looks its
/// implementation up again (a lock and a table look-up) on every call.
private struct FetchedDigest: @unchecked Sendable {
    /// Immutable after `init` and shared read-only, as OpenSSL allows for a fetched `EVP_MD`.
    let md: OpaquePointer

    static let sha256 = FetchedDigest(name: "SHA256")

    private init(name: String) {
        guard let md = EVP_MD_fetch(nil, name, nil) else { fatalError("OpenSSL has no \(name)") }
        self.md = md
    }
}
