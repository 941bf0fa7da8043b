// The feed fan-out consumer of the event log (the push half of Instagram's hybrid feed): a new
// post goes into the home feed of its author and each follower, unless the author has more than
// `celebrityFollowers` followers — then only into the author's own, and followers pull it at read
// time (feed/homefeed.h). A follow backfills recent posts; an unfollow or a block removes them; a
// deleted post leaves every feed. Feeds are trimmed to about `feedLength` posts.
#pragma once

#include "core/config.h"
#include "social/eventlog.h"

namespace pinhole::server::feed {

struct FeedOptions {
    std::int64_t celebrityFollowers = 10000;
    int feedLength = 800;
    int followBackfill = 40;

    static FeedOptions of(const Config& config) {
        return {config.celebrityFollowers, config.feedLength, config.followBackfill};
    }
};

class FanoutConsumer : public social::Consumer {
public:
    static constexpr std::string_view kName = "feed";
    explicit FanoutConsumer(FeedOptions options) : m_options(options) {}
    std::string_view name() const override { return kName; }
    Status apply(store::Database& db, const store::Event& event) override;

private:
    Status fanOut(store::Database& db, const store::Event& event);
    Status backfill(store::Database& db, Id follower, Id followee);
    // Trims `account`'s feed now and then (about one insert in kTrimEvery), so the cap costs
    // little per insert and a feed exceeds it by a few dozen rows at most.
    Status maybeTrim(store::Database& db, Id account, Id statusId);

    FeedOptions m_options;
};

} // namespace pinhole::server::feed
