#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/rsa.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

/* Function-like macros Swift cannot import. */
static const int shim_EVP_PKEY_PUBLIC_KEY = EVP_PKEY_PUBLIC_KEY;
/* Parameter names with static storage: OSSL_PARAM_BLD keeps the key pointer until to_param. */
static const char *const shim_OSSL_PKEY_PARAM_RSA_N = OSSL_PKEY_PARAM_RSA_N;
static const char *const shim_OSSL_PKEY_PARAM_RSA_E = OSSL_PKEY_PARAM_RSA_E;
