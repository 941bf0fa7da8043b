// What every user of exiv2 in the server shares: its one-time initialisation (the XMP toolkit is
// not thread-safe by itself, its messages go to our log) and the guard around XMP work.
//
// exiv2 0.27's interface is built on std::auto_ptr, deprecated since C++11: a file that includes
// <exiv2/exiv2.hpp> wraps the include and its use of the returned handles in
//   #pragma GCC diagnostic ignored "-Wdeprecated-declarations"
// as metadata.cpp and xmp.cpp do.
#pragma once

#include <mutex>

namespace pinhole::server::media {

// Exiv2 records every namespace a decoded XMP packet declares in process-wide registries (its
// own and the XMP toolkit's), and a packet that binds a prefix to another URI ("lr" to a made-up
// Lightroom namespace) rebinds that prefix for every later read and write in the process: one
// hostile upload would break the XMP of every other. So all XMP work (decoding a packet, reading
// an image's metadata, encoding) happens inside an XmpScope, which serialises it, binds the
// prefixes Pinhole writes to their true namespaces when it starts, and forgets the namespaces
// the work added to exiv2's registry when it ends. XMP work is small; the lock and the binding
// cost little next to a decode.
class XmpScope {
public:
    XmpScope(); // initialises exiv2 if needed
    ~XmpScope();
    XmpScope(const XmpScope&) = delete;
    XmpScope& operator=(const XmpScope&) = delete;

private:
    std::unique_lock<std::mutex> m_lock;
};

} // namespace pinhole::server::media
