// The --tls-self-signed certificate: made once in the data directory, then reused, so the
// fingerprint a client pinned stays valid across restarts.
#pragma once

#include "core/status.h"

#include <string>

namespace pinhole::server::http {

struct TlsFiles {
    std::string certFile;
    std::string keyFile;
};

// Creates <dir>/tls/cert.pem and key.pem (ECDSA P-256, 10 years, CN=pinholed,
// SAN localhost and 127.0.0.1) unless they exist.
Result<TlsFiles> ensureSelfSigned(const std::string& dataDir);
TlsFiles selfSignedPaths(const std::string& dataDir);

// SHA-256 of the certificate's DER encoding as colon-separated upper-case hex, as browsers
// and `openssl x509 -fingerprint -sha256` show it.
Result<std::string> certificateFingerprint(const std::string& certFile);

} // namespace pinhole::server::http
