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

} // namespace

void initExiv2() {
    static std::once_flag once;
    std::call_once(once, [] {
        Exiv2::LogMsg::setHandler(forwardExiv2Log);
        Exiv2::XmpParser::initialize(lockXmp, &g_xmpMutex);
        Exiv2::enableBMFF(true); // HEIF's metadata lives in ISO base media boxes
    });
}

} // namespace pinhole::server::media
