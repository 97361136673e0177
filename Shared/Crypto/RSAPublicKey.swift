import COpenSSL
import Foundation

/// An RSA public key built from a JWK's modulus and exponent, verifying RS256 signatures with OpenSSL.
public final class RSAPublicKey: @unchecked Sendable {
    // EVP_PKEY is immutable once built and OpenSSL verification with it is thread-safe.
    private let key: OpaquePointer

    /// The key with modulus `n` and exponent `e` (big-endian bytes). Fails for keys under 2048 bits.
    public init?(modulus n: [UInt8], exponent e: [UInt8]) {
        guard n.count >= 256, !e.isEmpty, e.count <= 8 else { return nil }
        guard let builder = OSSL_PARAM_BLD_new() else { return nil }
        defer { OSSL_PARAM_BLD_free(builder) }
        let modulus = n.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32(n.count), nil) }
        let exponent = e.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32(e.count), nil) }
        defer {
            BN_free(modulus)
            BN_free(exponent)
        }
        guard let modulus, let exponent,
              OSSL_PARAM_BLD_push_BN(builder, shim_OSSL_PKEY_PARAM_RSA_N, modulus) == 1,
              OSSL_PARAM_BLD_push_BN(builder, shim_OSSL_PKEY_PARAM_RSA_E, exponent) == 1,
              let params = OSSL_PARAM_BLD_to_param(builder) else { return nil }
        defer { OSSL_PARAM_free(params) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_fromdata_init(context) == 1,
              EVP_PKEY_fromdata(context, &pkey, shim_EVP_PKEY_PUBLIC_KEY, params) == 1, let pkey else { return nil }
        key = pkey
    }

    deinit { EVP_PKEY_free(key) }

    /// Whether `signature` is a valid RSASSA-PKCS1-v1_5 SHA-256 signature of `message`.
    public func verifySHA256(signature: [UInt8], message: [UInt8]) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, key) == 1 else { return false }
        let result = message.withUnsafeBufferPointer { messageBytes in
            signature.withUnsafeBufferPointer { signatureBytes in
                EVP_DigestVerify(context, signatureBytes.baseAddress, signatureBytes.count, messageBytes.baseAddress, messageBytes.count)
            }
        }
        return result == 1
    }
}
