#include "media/exiv2support.h"

#include "core/log.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <exiv2/exiv2.hpp>
#pragma GCC diagnostic pop

#include <cctype>
#include <mutex>
#include <string>

namespace pinhole::server::media {

namespace {

// exiv2 reports oddities in a file (an unknown maker note, a tag of the wrong type) through its
// own logger; they go to ours at debug level, since a damaged field only means an empty one.
void forwardExiv2Log(int level, const char* message) {
    std::string text = message ? message : "";
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.pop_back();
    log::debug("exiv2_message", {{"level", level}, {"message", text}});
}

// The XMP toolkit under exiv2 is not thread-safe by itself: it is initialised once and given a
// lock, as exiv2 documents for multi-threaded programs.
std::mutex g_xmpMutex;
void lockXmp(void* data, bool lock) {
    auto* mutex = static_cast<std::mutex*>(data);
    if (lock)
        mutex->lock();
    else
        mutex->unlock();
}

std::mutex g_scopeMutex;

// The namespaces of the prefixes media/xmp.cpp writes, path components included (those exiv2
// does not register by itself when encoding).
const std::pair<const char*, const char*> kSidecarNamespaces[] = {
    {"http://ns.adobe.com/lightroom/1.0/", "lr"},
    {"http://www.digikam.org/ns/1.0/", "digiKam"},
    {"http://www.metadataworkinggroup.com/schemas/regions/", "mwg-rs"},
    {"http://ns.adobe.com/xap/1.0/sType/Dimensions#", "stDim"},
    {"http://ns.adobe.com/xmp/sType/Area#", "stArea"},
    {"http://ns.microsoft.com/photo/1.2/", "MP"},
    {"http://ns.microsoft.com/photo/1.2/t/RegionInfo#", "MPRI"},
    {"http://ns.microsoft.com/photo/1.2/t/Region#", "MPReg"},
};

void initExiv2() {
    static std::once_flag once;
    std::call_once(once, [] {
        Exiv2::LogMsg::setHandler(forwardExiv2Log);
        Exiv2::XmpParser::initialize(lockXmp, &g_xmpMutex);
        Exiv2::enableBMFF(true); // HEIF's metadata lives in ISO base media boxes
    });
}

// Binds the prefixes Pinhole writes to their namespaces, in exiv2's registry and in the XMP
// toolkit's (exiv2 binds a namespace in the toolkit when it encodes a property of it). A packet
// decoded earlier may have bound one of them to another URI: the toolkit lets a later binding win.
void bindSidecarNamespaces() {
    Exiv2::XmpData bind;
    for (const auto& [uri, prefix] : kSidecarNamespaces) {
        Exiv2::XmpProperties::registerNs(uri, prefix);
        bind[std::string("Xmp.") + prefix + ".bound"] = "1";
    }
    std::string packet;
    Exiv2::XmpParser::encode(packet, bind);
}

} // namespace

XmpScope::XmpScope() : m_lock(g_scopeMutex) {
    initExiv2();
    bindSidecarNamespaces();
}

XmpScope::~XmpScope() {
    try {
        Exiv2::XmpProperties::unregisterNs();
    } catch (...) { // it allocates nothing and so throws nothing, but a destructor must not throw
    }
}

} // namespace pinhole::server::media
