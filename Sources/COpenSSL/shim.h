#ifndef COUNTERSIGN_COPENSSL_SHIM_H
#define COUNTERSIGN_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>

/// `OPENSSL_free` is a macro in OpenSSL 3.
static inline void cs_openssl_free(void *pointer) { OPENSSL_free(pointer); }
/// `BIO_get_mem_data` is a macro around `BIO_ctrl`.
static inline long cs_bio_get_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }
#endif
