// The on-disk format of an account export (docs/export-format.md is its specification):
//
//   DIR/manifest.json      {"format": "pinhole-export", "version": 1, ...}; written last, so
//                          its presence says the export finished
//   DIR/account.json       the profile
//   DIR/assets.json        every photo: its SHA-256, file, title, description, favourite, time
//   DIR/albums.json        albums with their members in order (by SHA-256)
//   DIR/posts.json         posts oldest first, with their photos (by SHA-256) and comments
//   DIR/annotations.json   every annotation (by the photo's SHA-256) and the custom schemas
//   DIR/originals/<sha256>.<ext>       the original, byte for byte
//   DIR/originals/<sha256>.<ext>.xmp   its XMP sidecar (digiKam's naming)
//
// Photos are named by content, so an export and an import refer to them by SHA-256, never by a
// server's ids. Every file is written to a temporary name, flushed and renamed into place.
#pragma once

#include "core/status.h"

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace pinhole::sync::exporting {

constexpr std::string_view kFormatName = "pinhole-export";
// A reader refuses a newer major version; additions keep the version (readers ignore fields
// they don't know).
constexpr int kFormatVersion = 1;

constexpr const char* kManifestFile = "manifest.json";
constexpr const char* kAccountFile = "account.json";
constexpr const char* kAssetsFile = "assets.json";
constexpr const char* kAlbumsFile = "albums.json";
constexpr const char* kPostsFile = "posts.json";
constexpr const char* kAnnotationsFile = "annotations.json";
constexpr const char* kOriginalsDir = "originals";

// Writes `bytes` to `path` atomically: a temporary file in the same folder, fsync, rename.
Status writeFileAtomically(const std::string& path, std::string_view bytes);
Status writeJsonAtomically(const std::string& path, const boost::json::value& value);
Result<boost::json::value> readJsonFile(const std::string& path);

// The file extension of an image judged by its first bytes ("jpg", "png", ...); "bin" if none.
std::string imageExtension(std::string_view head);
// The extensions imageExtension() answers, to find an original whose name is not known yet.
const char* const* knownExtensions();

// Field access that answers a default for a missing or mistyped field.
std::string stringOf(const boost::json::object& o, std::string_view key);
std::optional<std::string> optionalStringOf(const boost::json::object& o, std::string_view key);
bool boolOf(const boost::json::object& o, std::string_view key);
const boost::json::array& arrayOf(const boost::json::object& o, std::string_view key);
// REQUIRES: `v` (or `o`) outlives the reference answered.
const boost::json::object& objectOf(const boost::json::value& v);
const boost::json::object& fieldObject(const boost::json::object& o, std::string_view key);

} // namespace pinhole::sync::exporting
