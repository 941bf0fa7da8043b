// Operations: /healthz (the process answers), /readyz (it can serve: database reachable, not
// shutting down), /metrics (Prometheus text), and the embedded static files.
#include "api/context.h"
#include "api/mastodon/statuscache.h"
#include "core/resources.h"
#include "jobs/jobmetrics.h"

#include <sys/stat.h>

#include <boost/json.hpp>

namespace json = boost::json;

namespace pinhole::server::api {

namespace {

long long fileSize(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<long long>(st.st_size) : 0;
}

Result<http::Response> readyz(ApiContext& ctx, http::Request&) {
    if (!ctx.ready.load())
        return Status(Code::Unavailable, "not ready");
    auto db = ctx.store.connection();
    if (!db)
        return Status(Code::Unavailable, "database unavailable");
    if (Status s = store::ping(**db); !s)
        return Status(Code::Unavailable, "database unavailable: " + s.message());
    return jsonResponse(json::object{{"status", "ready"}});
}

Result<http::Response> metrics(ApiContext& ctx, http::Request&) {
    http::Response r;
    r.contentType = "text/plain; version=0.0.4; charset=utf-8";
    r.body = "# HELP pinhole_build_info Build information.\n# TYPE pinhole_build_info gauge\n"
             "pinhole_build_info{version=\"" PINHOLE_VERSION "\"} 1\n";
    ctx.metrics.render(r.body);
    const std::string dbPath = ctx.store.path();
    r.body += "# HELP pinhole_database_bytes Size of the SQLite database and its write-ahead log.\n"
              "# TYPE pinhole_database_bytes gauge\npinhole_database_bytes " +
              std::to_string(fileSize(dbPath) + fileSize(dbPath + "-wal")) + "\n";
    if (ctx.jobQueue)
        PINHOLE_TRY(jobs::renderJobMetrics(*ctx.jobQueue, r.body));
    if (ctx.statusCache)
        ctx.statusCache->renderMetrics(r.body);
    return r;
}

Result<http::Response> staticFile(http::Request& request) {
    const std::string_view name = request.pathParam("name");
    const std::string_view bytes = resources::find(name);
    if (bytes.empty())
        return notFound("no such file");
    http::Response r;
    r.contentType = name.ends_with(".png") ? "image/png" : "application/octet-stream";
    r.header("Cache-Control", "public, max-age=86400");
    r.body = std::string(bytes);
    return r;
}

} // namespace

void registerOpsRoutes(http::Router& router, ApiContext& ctx) {
    router.add("GET", "/healthz", [](http::Request&) -> Result<http::Response> {
        return jsonResponse(json::object{{"status", "ok"}});
    });
    router.add("GET", "/readyz", [&ctx](http::Request& r) { return readyz(ctx, r); });
    router.add("GET", "/metrics", [&ctx](http::Request& r) { return metrics(ctx, r); });
    router.add("GET", "/static/:name", [](http::Request& r) { return staticFile(r); });
}

} // namespace pinhole::server::api
