#include "http/tlscert.h"

#include "core/log.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace pinhole::server::http {

namespace {

template <class T, void (*F)(T*)> struct Deleter {
    void operator()(T* p) const { F(p); }
};
using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;

struct FileCloser {
    void operator()(FILE* f) const { std::fclose(f); }
};

bool addExtension(X509* cert, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext)
        return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

} // namespace

TlsFiles selfSignedPaths(const std::string& dataDir) {
    return {dataDir + "/tls/cert.pem", dataDir + "/tls/key.pem"};
}

Result<TlsFiles> ensureSelfSigned(const std::string& dataDir) {
    TlsFiles files = selfSignedPaths(dataDir);
    std::error_code ec;
    if (std::filesystem::exists(files.certFile, ec) && std::filesystem::exists(files.keyFile, ec))
        return files;
    std::filesystem::create_directories(dataDir + "/tls", ec);
    if (ec)
        return internalError("cannot create " + dataDir + "/tls: " + ec.message());

    PKeyPtr key(EVP_EC_gen("P-256"));
    X509Ptr cert(X509_new());
    if (!key || !cert)
        return internalError("cannot generate a TLS key");
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("pinholed"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    if (!addExtension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") ||
        !addExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
        X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
        return internalError("cannot sign the TLS certificate");

    // Write both under temporary names, then rename: a crash never leaves half a pair.
    const std::string keyTmp = files.keyFile + ".tmp", certTmp = files.certFile + ".tmp";
    {
        const mode_t old = ::umask(077);
        std::unique_ptr<FILE, FileCloser> f(std::fopen(keyTmp.c_str(), "wb"));
        ::umask(old);
        if (!f || PEM_write_PrivateKey(f.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
            return internalError("cannot write " + keyTmp);
    }
    {
        std::unique_ptr<FILE, FileCloser> f(std::fopen(certTmp.c_str(), "wb"));
        if (!f || PEM_write_X509(f.get(), cert.get()) != 1)
            return internalError("cannot write " + certTmp);
    }
    std::filesystem::rename(keyTmp, files.keyFile, ec);
    if (!ec)
        std::filesystem::rename(certTmp, files.certFile, ec);
    if (ec)
        return internalError("cannot store the TLS certificate: " + ec.message());
    log::info("tls_certificate_created", {{"cert", files.certFile}});
    return files;
}

Result<std::string> certificateFingerprint(const std::string& certFile) {
    std::unique_ptr<FILE, FileCloser> f(std::fopen(certFile.c_str(), "rb"));
    if (!f)
        return notFound("cannot read " + certFile);
    X509Ptr cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
    if (!cert)
        return invalidArgument(certFile + " is not a PEM certificate");
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (X509_digest(cert.get(), EVP_sha256(), digest, &len) != 1)
        return internalError("cannot hash the certificate");
    std::string out;
    char hex[4];
    for (unsigned int i = 0; i < len; ++i) {
        std::snprintf(hex, sizeof hex, i ? ":%02X" : "%02X", digest[i]);
        out += hex;
    }
    return out;
}

} // namespace pinhole::server::http
