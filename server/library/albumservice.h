// Albums (issue 5): an owner's named, ordered sets of their own assets. An asset may be in
// several albums; an album shows its members not in the trash (a trashed member keeps its
// place and comes back there when restored). Owner only: anyone else gets NotFound.
// Every change appends an album.* event in its transaction; `also` (sync's op record) runs in
// the same transaction with the album's id.
//
// Threading: every function is thread-safe (each leases its own connection).
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "social/eventlog.h"
#include "store/albumstore.h"
#include "store/store.h"

#include <optional>
#include <string>
#include <vector>

namespace pinhole::server::library {

inline constexpr std::size_t kMaxAlbumNameChars = 200;
inline constexpr std::size_t kMaxAlbumDescriptionChars = 2000;
inline constexpr std::size_t kMaxAssetsPerRequest = 1000;

// An edit of an album; an absent field is left as it is.
struct AlbumEdit {
    std::optional<std::string> name;
    std::optional<std::string> description;
    // The cover: an asset of the album, or nullopt inside to have none.
    std::optional<std::optional<Id>> coverAssetId;
};

class AlbumService {
public:
    AlbumService(store::Store& store, social::EventLog& events) : m_store(store), m_events(events) {}

    // InvalidArgument naming the field: a name empty or too long, a description too long.
    Result<store::Album> create(Id owner, const std::string& name, const std::string& description,
                                const store::AlsoInTransaction& also = {});
    Result<std::vector<store::Album>> list(Id owner);
    Result<store::Album> get(Id viewer, Id albumId);
    // InvalidArgument for a cover that is not in the album.
    Result<store::Album> update(Id viewer, Id albumId, const AlbumEdit& edit,
                                const store::AlsoInTransaction& also = {});
    Status remove(Id viewer, Id albumId, const store::AlsoInTransaction& also = {});

    // Adds the assets in the given order at `position` (0 = first; nullopt or past the end: at
    // the end). Assets already in the album keep their place (adding is idempotent). NotFound for
    // an asset that is not the owner's; nothing is added then.
    Result<store::Album> addAssets(Id viewer, Id albumId, const std::vector<Id>& assetIds,
                                   std::optional<std::int64_t> position, const store::AlsoInTransaction& also = {});
    // NotFound if the asset is not in the album.
    Result<store::Album> removeAsset(Id viewer, Id albumId, Id assetId, const store::AlsoInTransaction& also = {});
    // Moves a member to `position` (0 = first; past the end: last). NotFound if not a member.
    Result<store::Album> moveAsset(Id viewer, Id albumId, Id assetId, std::int64_t position,
                                   const store::AlsoInTransaction& also = {});

private:
    store::Store& m_store;
    social::EventLog& m_events;
};

} // namespace pinhole::server::library
