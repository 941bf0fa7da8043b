#include "daemon/seed.h"

#include "accounts/accountservice.h"
#include "auth/crypto.h"
#include "auth/oauthservice.h"
#include "core/clock.h"
#include "core/ids.h"
#include "daemon/daemon.h"
#include "media/imaging.h"
#include "media/library.h"
#include "store/accountstore.h"
#include "store/assetstore.h"
#include "store/counterstore.h"
#include "store/followstore.h"
#include "store/statusstore.h"

#include <vips/vips8>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <unordered_set>

namespace pinhole::server {

namespace {

// Rows per transaction: big enough to be fast, small enough not to hold the lock for long.
constexpr int kBatch = 20000;

// A colourful gradient photo, different for each `index`, as a JPEG at `path`.
Status makePhoto(const std::string& path, int index) {
    PINHOLE_TRY(media::initImaging());
    try {
        const int w = 1600, h = 1200;
        vips::VImage xy = vips::VImage::xyz(w, h);
        vips::VImage r = xy[0] * (255.0 / w);
        vips::VImage g = xy[1] * (255.0 / h);
        vips::VImage b = (r + g) * 0.5 + 37.0 * index;
        vips::VImage rgb = r.bandjoin(g).bandjoin(b % 256).cast(VIPS_FORMAT_UCHAR);
        rgb.jpegsave(path.c_str(), vips::VImage::option()->set("Q", 85));
    } catch (const vips::VError&) {
        return internalError(media::takeVipsError("cannot make a seed photo"));
    }
    return Status::ok();
}

Result<store::Account> seedAccount(store::Database& db, int index, const std::string& hash, std::int64_t now) {
    store::Account a;
    a.id = newId();
    a.username = "user" + std::to_string(index);
    a.displayName = "User " + std::to_string(index);
    a.passwordHash = hash;
    a.createdAt = a.updatedAt = now;
    PINHOLE_TRY(store::insertAccount(db, a));
    return a;
}

} // namespace

Status seedData(const Config& config, const SeedOptions& o, std::ostream& out) {
    if (o.users < 1 || o.follows < 0 || o.posts < 0 || o.fans < 0 || o.photos < 1 || o.photos > 10 ||
        o.follows >= o.users || o.fans >= o.users || o.tokens < 0)
        return invalidArgument("seed: need --users >= 1, 0 <= --follows, --fans < --users, 1 <= --photos <= 10");
    PINHOLE_TRY(auth::initCrypto());
    auto opened = openStore(config);
    if (!opened)
        return opened.status();
    store::Store& st = **opened;
    std::mt19937_64 random(o.randomSeed);
    const std::int64_t now = nowMillis();

    // Real photos, processed once, for the first account.
    media::MediaLibrary library(st, config.dataDir, [](store::Database&, const std::string&, Id) { return Status::ok(); });
    PINHOLE_TRY(library.init());
    auto hash = auth::hashPassword(kSeedPassword);
    if (!hash)
        return hash.status();
    auto db = st.connection();
    if (!db)
        return db.status();
    std::vector<store::Account> accounts;
    {
        auto first = seedAccount(**db, 0, *hash, now);
        if (!first)
            return first.status();
        accounts.push_back(std::move(first).value());
    }
    std::vector<store::Asset> templates;
    for (int i = 0; i < o.photos; ++i) {
        const std::string path = library.uploadsDir() + "/seed-" + std::to_string(i) + ".jpg";
        PINHOLE_TRY(makePhoto(path, i));
        auto ingested = library.ingest(accounts[0].id, path, std::nullopt);
        if (!ingested)
            return ingested.status();
        PINHOLE_TRY(library.extractMetadata(ingested->asset.id));
        PINHOLE_TRY(library.derive(ingested->asset.id));
        auto ready = store::assetById(**db, ingested->asset.id);
        if (!ready)
            return ready.status();
        if (ready->state != "ready")
            return internalError("seed photo failed to process: " + ready->failure.value_or(""));
        templates.push_back(std::move(ready).value());
    }
    out << "made " << templates.size() << " photos\n";

    // Accounts, each with its own asset rows for the shared files.
    std::vector<std::vector<Id>> assetsOf(static_cast<std::size_t>(o.users));
    for (const auto& t : templates)
        assetsOf[0].push_back(t.id);
    for (int begin = 1; begin < o.users; begin += kBatch) {
        store::Transaction tx(**db);
        PINHOLE_TRY(tx.status());
        for (int i = begin; i < std::min(o.users, begin + kBatch); ++i) {
            auto a = seedAccount(**db, i, *hash, now);
            if (!a)
                return a.status();
            for (const auto& t : templates) {
                store::Asset copy = t;
                copy.id = newId();
                copy.ownerId = a->id;
                copy.state = "processing";
                PINHOLE_TRY(store::insertAsset(**db, copy));
                PINHOLE_TRY(store::updateAssetMetadata(**db, copy, now));
                PINHOLE_TRY(store::completeAsset(**db, copy.id, t.derivatives, t.placeholder.value_or(""), now));
                assetsOf[static_cast<std::size_t>(i)].push_back(copy.id);
            }
            accounts.push_back(std::move(a).value());
        }
        PINHOLE_TRY(tx.commit());
    }
    out << "made " << accounts.size() << " accounts (password: " << kSeedPassword << ")\n";

    // Follows: each account follows `follows` others at random; `fans` accounts follow user0.
    std::uniform_int_distribution<int> anyone(0, o.users - 1);
    std::int64_t follows = 0;
    {
        store::Transaction tx(**db);
        PINHOLE_TRY(tx.status());
        auto follow = [&](int from, int to) -> Status {
            auto added = store::insertEdge(**db, store::Edge::Follow, accounts[static_cast<std::size_t>(from)].id,
                                           accounts[static_cast<std::size_t>(to)].id, newId(), now);
            if (!added)
                return added.status();
            follows += *added ? 1 : 0;
            return Status::ok();
        };
        for (int i = 0; i < o.users; ++i) {
            std::unordered_set<int> chosen;
            while (static_cast<int>(chosen.size()) < o.follows) {
                const int j = anyone(random);
                if (j != i && chosen.insert(j).second)
                    PINHOLE_TRY(follow(i, j));
            }
        }
        for (int i = 1; i <= o.fans; ++i)
            PINHOLE_TRY(follow(i, 0));
        PINHOLE_TRY(tx.commit());
    }
    out << "made " << follows << " follows\n";

    // Posts, oldest first, over the last 30 days: ids stay time-sortable.
    const std::int64_t span = 30LL * 24 * 3600 * 1000;
    const char* kTags[] = {"sunset", "family", "travel", "food", "garden", "cats", "hiking", "city"};
    std::uniform_int_distribution<int> visibility(0, 9);
    for (int begin = 0; begin < o.posts; begin += kBatch) {
        store::Transaction tx(**db);
        PINHOLE_TRY(tx.status());
        for (int i = begin; i < std::min(o.posts, begin + kBatch); ++i) {
            const std::int64_t at = now - span + span * i / std::max(o.posts, 1);
            const auto author = static_cast<std::size_t>(anyone(random));
            store::StatusRow s;
            s.id = idAtMillis(at) + (i & 0xffff);
            s.accountId = accounts[author].id;
            const int v = visibility(random);
            s.visibility = v < 8 ? store::Visibility::Public : v < 9 ? store::Visibility::Unlisted
                                                                     : store::Visibility::Private;
            const std::string tag = kTags[static_cast<std::size_t>(i) % std::size(kTags)];
            s.text = "Seed post " + std::to_string(i) + " #" + tag;
            s.tags = {tag};
            s.createdAt = at;
            const auto& mine = assetsOf[author];
            s.mediaIds = {mine[static_cast<std::size_t>(i) % mine.size()]};
            PINHOLE_TRY(store::insertStatus(**db, s));
        }
        PINHOLE_TRY(tx.commit());
    }
    out << "made " << o.posts << " posts\n";

    {
        store::Transaction tx(**db);
        PINHOLE_TRY(tx.status());
        PINHOLE_TRY(store::rewriteCounters(**db));
        PINHOLE_TRY(tx.commit());
    }

    if (o.tokens > 0) {
        accounts::AccountService accountService(st, config);
        auth::OAuthService oauth(st, accountService, config);
        auto app = oauth.createApp({"pinhole seed", "urn:ietf:wg:oauth:2.0:oob", "read write follow", std::nullopt});
        if (!app)
            return app.status();
        std::ofstream file(o.tokensFile);
        if (!file)
            return invalidArgument("cannot write " + o.tokensFile);
        for (int i = 0; i < o.tokens; ++i) {
            // The first token is user0's (the account with --fans followers), the second the last
            // account's (its last follower); the rest belong to random accounts.
            const auto& a = accounts[i == 0   ? 0
                                     : i == 1 ? accounts.size() - 1
                                              : static_cast<std::size_t>(anyone(random))];
            auto token = oauth.issueForAccount(app->id, a.id, "read write follow");
            if (!token)
                return token.status();
            file << a.username << ' ' << token->accessToken << '\n';
        }
        if (!file.flush())
            return internalError("cannot write " + o.tokensFile);
        out << "wrote " << o.tokens << " tokens to " << o.tokensFile << "\n";
    }
    return Status::ok();
}

} // namespace pinhole::server
