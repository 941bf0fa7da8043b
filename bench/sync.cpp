// bench_sync URL USER PASSWORD STORE OTHER_TOKEN: signs USER in with a fresh local store, times a
// full catch-up (every page of the change stream into the store), then makes one change as
// another account (OTHER_TOKEN favourites a post in USER's feed) and times the sync rounds until
// that change has arrived. Prints one JSON object of figures. bench/sync.sh drives it.
#include "core/digest.h"
#include "engine/engine.h"

#include <boost/json.hpp>

#include <chrono>
#include <iostream>

using namespace pinhole::sync;
using Clock = std::chrono::steady_clock;

namespace {
double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}
} // namespace

int main(int argc, char** argv) {
    if (argc != 6) {
        std::cerr << "usage: bench_sync URL USER PASSWORD STORE OTHER_TOKEN\n";
        return 2;
    }
    const std::string url = argv[1];
    auto engine = Engine::open(argv[4]);
    if (!engine || !(*engine)->login(url, argv[2], argv[3])) {
        std::cerr << "bench_sync: cannot open the store or sign in\n";
        return 1;
    }
    Engine& e = **engine;

    const auto start = Clock::now();
    auto caughtUp = e.syncOnce();
    const double catchUpMs = msSince(start);
    if (!caughtUp) {
        std::cerr << "bench_sync: " << caughtUp.status().message() << "\n";
        return 1;
    }

    // The one change: another account likes the newest post this client mirrors.
    auto q =
        e.store().db().prepare("SELECT id FROM mirror WHERE kind = 'post' ORDER BY length(id) DESC, id DESC LIMIT 1");
    if (!q.step().value()) {
        std::cerr << "bench_sync: no post in the mirror after catch-up\n";
        return 1;
    }
    const std::string postId = q.text(0);
    net::HttpClient other;
    other.setBearer(argv[5]);
    auto liked = other.send({"POST", url + "/api/v1/statuses/" + postId + "/favourite", {}, {}});
    if (!liked || liked->status != 200) {
        std::cerr << "bench_sync: the other account could not like post " << postId << "\n";
        return 1;
    }

    // Rounds until it arrives (the stream serves a change once the server's counters have it,
    // within milliseconds; rounds that found nothing are reported too).
    int emptyRounds = 0;
    double roundMs = 0;
    int requests = 0;
    int changes = 0;
    for (int i = 0; i < 1000; ++i) {
        const auto roundStart = Clock::now();
        auto r = e.syncOnce();
        roundMs = msSince(roundStart);
        if (!r) {
            std::cerr << "bench_sync: " << r.status().message() << "\n";
            return 1;
        }
        if (r->pull.changes > 0) {
            requests = r->pull.requests + r->push.requests;
            changes = r->pull.changes;
            break;
        }
        ++emptyRounds;
    }
    // Where a round's time goes: the server's answer alone, for a client in step (an empty page).
    net::HttpClient probe;
    probe.setBearer(*e.store().meta("access_token"));
    const auto probeStart = Clock::now();
    auto empty =
        probe.send({"GET", url + "/api/pinhole/v1/sync/changes?limit=500&cursor=" + *e.store().meta("cursor"), {}, {}});
    const double emptyPageMs = msSince(probeStart);
    if (!empty || empty->status != 200) {
        std::cerr << "bench_sync: the empty page failed\n";
        return 1;
    }
    boost::json::object figures{{"catch_up_ms", catchUpMs},
                                {"catch_up_changes", caughtUp->pull.changes},
                                {"catch_up_requests", caughtUp->pull.requests},
                                {"one_change_round_ms", roundMs},
                                {"one_change_requests", requests},
                                {"one_change_changes", changes},
                                {"empty_rounds_before_it", emptyRounds},
                                {"empty_page_get_ms", emptyPageMs}};
    std::cout << boost::json::serialize(figures) << "\n";
    return changes > 0 ? 0 : 1;
}
