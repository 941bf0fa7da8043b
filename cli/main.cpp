// pinhole-cli: a headless Pinhole client on the sync library (the same engine the app uses).
//
//   pinhole-cli [--profile DIR] login URL USER [--password-stdin]
//   pinhole-cli [--profile DIR] import PATH... [--album NAME] [--offline]
//   pinhole-cli [--profile DIR] sync [--once | --watch]
//   pinhole-cli [--profile DIR] status
//   pinhole-cli [--profile DIR] post FILE... --caption TEXT [--visibility public|unlisted|private]
//   pinhole-cli [--profile DIR] export DIR
//   pinhole-cli [--profile DIR] import-export DIR
//
// Exit codes: 0 done; 2 usage; 3 the server is unreachable (local work is kept and queued);
// 4 not signed in, or the server refused the credentials or its certificate; 5 anything else.
#include "core/digest.h"
#include "engine/engine.h"
#include "export/accountexport.h"
#include "export/accountimport.h"

#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace pinhole::sync;

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitOffline = 3;
constexpr int kExitAuth = 4;
constexpr int kExitError = 5;

const char* kUsage = "usage: pinhole-cli [--profile DIR] COMMAND ...\n"
                     "  login URL USER [--password-stdin]   sign in (pins a self-signed server's key on first use)\n"
                     "  import PATH... [--album NAME] [--offline]\n"
                     "                                      add photos to the library and upload them\n"
                     "  sync [--once | --watch]             one sync round (default), or keep syncing\n"
                     "  status                              pending operations, uploads, parked failures, last sync\n"
                     "  post FILE... --caption TEXT [--visibility public|unlisted|private]\n"
                     "  export DIR                          the whole account into DIR (resumable)\n"
                     "  import-export DIR                   an export into this account (idempotent)\n"
                     "exit codes: 0 ok, 2 usage, 3 server unreachable (work is queued), 4 not signed in or\n"
                     "refused credentials/certificate, 5 other errors\n";

int exitCodeOf(const Status& s) {
    switch (s.code()) {
    case Code::Unavailable: return kExitOffline;
    case Code::Unauthenticated:
    case Code::Untrusted: return kExitAuth;
    default: return kExitError;
    }
}

int fail(const Status& s) {
    std::cerr << "pinhole-cli: " << s.message() << "\n";
    if (s.code() == Code::Unavailable)
        std::cerr << "pinhole-cli: everything is kept locally and will be sent by the next sync\n";
    return exitCodeOf(s);
}

std::string defaultProfile() {
    if (const char* env = std::getenv("PINHOLE_CLI_HOME"))
        return env;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"))
        return std::string(xdg) + "/pinhole-cli";
    const char* home = std::getenv("HOME");
    return std::string(home ? home : ".") + "/.local/share/pinhole-cli";
}

// A one-line progress bar on a terminal; nothing when stderr is not one (logs stay clean).
class ProgressBar {
public:
    explicit ProgressBar(std::string label) : m_label(std::move(label)), m_tty(::isatty(STDERR_FILENO) == 1) {}
    ~ProgressBar() { finish(); }
    void update(std::int64_t done, std::int64_t total, const std::string& detail = {}) {
        if (!m_tty || total <= 0)
            return;
        constexpr int kWidth = 30;
        const int filled = static_cast<int>(kWidth * done / total);
        std::string name = detail.size() > 30 ? "…" + detail.substr(detail.size() - 29) : detail;
        std::cerr << "\r" << m_label << " [" << std::string(static_cast<std::size_t>(filled), '#')
                  << std::string(static_cast<std::size_t>(kWidth - filled), ' ') << "] " << done << "/" << total << " "
                  << name << "\033[K" << std::flush;
        m_shown = true;
    }
    void finish() {
        if (m_shown)
            std::cerr << "\n";
        m_shown = false;
    }

private:
    std::string m_label;
    bool m_tty;
    bool m_shown = false;
};

std::string readPassword(bool fromStdin) {
    std::string password;
    if (fromStdin || ::isatty(STDIN_FILENO) != 1) {
        std::getline(std::cin, password);
        return password;
    }
    std::cerr << "Password: " << std::flush;
    termios old{};
    ::tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::getline(std::cin, password);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
    return password;
}

LogSink stderrSink(bool verbose) {
    return [verbose](LogLevel level, std::string_view event, std::string_view detail) {
        if (level == LogLevel::Debug || (!verbose && level == LogLevel::Info))
            return;
        std::cerr << "pinhole-cli: " << event << (detail.empty() ? "" : ": ") << detail << "\n";
    };
}

void printReport(const SyncReport& r) {
    std::cout << "uploaded " << r.uploads.uploaded << " (" << r.uploads.alreadyKnown
              << " already on the server), pulled " << r.pull.changes << " changes, sent "
              << r.push.applied + r.push.conflicts << " operations";
    if (r.push.conflicts)
        std::cout << " (" << r.push.conflicts << " resolved as conflicts)";
    if (r.push.parked + r.uploads.parked)
        std::cout << ", " << r.push.parked + r.uploads.parked << " parked (see `pinhole-cli status`)";
    std::cout << "\n";
}

// Rounds until nothing waits for the server's photo processing (a post needs processed photos),
// for at most `limitSeconds`.
Result<SyncReport> syncUntilSettled(Engine& engine, int limitSeconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limitSeconds);
    for (;;) {
        auto r = engine.syncOnce();
        if (!r || !r->push.waiting || std::chrono::steady_clock::now() > deadline)
            return r;
        std::this_thread::sleep_for(std::chrono::milliseconds(Pusher::kProcessingWaitMs));
    }
}

int runImportSync(Engine& engine) {
    ProgressBar bar("uploading");
    engine.onUploadProgress([&](const UploadProgress& p) { bar.update(p.offset, p.size, p.sha256.substr(0, 12)); });
    auto r = syncUntilSettled(engine, 120);
    bar.finish();
    if (!r)
        return fail(r.status());
    printReport(*r);
    return 0;
}

// Progress of a multi-stage command (export, import-export): a bar on a terminal, else one
// line when a stage starts and one when it ends, so a log shows how far it got.
class StageProgress {
public:
    explicit StageProgress(std::string command) : m_command(std::move(command)) {}
    void update(const std::string& stage, int done, int total, const std::string& detail) {
        if (stage != m_stage) {
            endStage();
            m_stage = stage;
            m_bar = std::make_unique<ProgressBar>(m_command + ": " + stage);
            if (::isatty(STDERR_FILENO) != 1)
                std::cerr << "pinhole-cli: " << m_command << ": " << stage << " 0/" << total << "\n";
        }
        m_done = done;
        m_total = total;
        m_bar->update(done, total, detail);
    }
    ~StageProgress() { endStage(); }

private:
    void endStage() {
        if (!m_bar)
            return;
        m_bar->finish();
        if (::isatty(STDERR_FILENO) != 1)
            std::cerr << "pinhole-cli: " << m_command << ": " << m_stage << " " << m_done << "/" << m_total << "\n";
        m_bar.reset();
    }
    std::string m_command, m_stage;
    std::unique_ptr<ProgressBar> m_bar;
    int m_done = 0, m_total = 0;
};

int runExport(Engine& engine, const std::string& dir) {
    auto api = exporting::ApiClient::fromStore(engine.store());
    if (!api)
        return fail(api.status());
    exporting::AccountExporter exporter(*api);
    StageProgress progress("export");
    exporter.onProgress(
        [&](const exporting::ExportProgress& p) { progress.update(p.stage, p.done, p.total, p.detail); });
    auto r = exporter.run(dir);
    if (!r) {
        std::cerr << "pinhole-cli: export stopped; run it again to continue where it stopped\n";
        return fail(r.status());
    }
    for (const auto& e : r->errors)
        std::cerr << "pinhole-cli: " << e << "\n";
    for (const auto& w : r->warnings)
        std::cerr << "pinhole-cli: warning: " << w << "\n";
    std::cout << "exported " << r->assets << " photos (" << r->downloaded << " downloaded, " << r->alreadyPresent
              << " already in " << dir << ", " << r->bytesDownloaded << " bytes), " << r->sidecars << " XMP sidecars, "
              << r->annotations << " annotations, " << r->albums << " albums, " << r->posts << " posts, " << r->comments
              << " comments\n";
    return r->errors.empty() ? 0 : kExitError;
}

int runImportExport(Engine& engine, const std::string& dir) {
    auto api = exporting::ApiClient::fromStore(engine.store());
    if (!api)
        return fail(api.status());
    exporting::ExportImporter importer(*api);
    StageProgress progress("import-export");
    importer.onProgress(
        [&](const exporting::ImportProgress& p) { progress.update(p.stage, p.done, p.total, p.detail); });
    auto r = importer.run(dir);
    if (!r) {
        std::cerr << "pinhole-cli: import stopped; running it again continues (nothing is created twice)\n";
        return fail(r.status());
    }
    for (const auto& e : r->errors)
        std::cerr << "pinhole-cli: " << e << "\n";
    std::cout << "imported " << r->assets << " photos (" << r->uploaded << " uploaded, " << r->alreadyThere
              << " already here, " << r->restored << " restored from the trash), " << r->albumsCreated
              << " albums created, " << r->albumsUpdated << " updated, " << r->annotations << " annotations, "
              << r->postsCreated << " posts created (" << r->postsExisting << " already here), " << r->commentsCreated
              << " comments created (" << r->commentsSkipped << " by others skipped)\n";
    return r->errors.empty() ? 0 : kExitError;
}

volatile std::sig_atomic_t g_stop = 0;
void onSignal(int) {
    g_stop = 1;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string profile = defaultProfile();
    bool verbose = false;
    while (!args.empty() && args.front().rfind("--", 0) == 0) {
        if (args.front() == "--profile" && args.size() >= 2) {
            profile = args[1];
            args.erase(args.begin(), args.begin() + 2);
        } else if (args.front() == "--verbose") {
            verbose = true;
            args.erase(args.begin());
        } else if (args.front() == "--help") {
            std::cout << kUsage;
            return 0;
        } else {
            std::cerr << kUsage;
            return kExitUsage;
        }
    }
    if (args.empty()) {
        std::cerr << kUsage;
        return kExitUsage;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    // Options of the command (--name value or --flag); the rest are positional.
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;
    const std::set<std::string> flags = {"--password-stdin", "--once", "--watch", "--offline"};
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i].rfind("--", 0) != 0) {
            positional.push_back(args[i]);
        } else if (flags.count(args[i])) {
            options[args[i]] = "1";
        } else if (i + 1 < args.size()) {
            options[args[i]] = args[i + 1];
            ++i;
        } else {
            std::cerr << "pinhole-cli: " << args[i] << " needs a value\n" << kUsage;
            return kExitUsage;
        }
    }

    std::error_code ec;
    std::filesystem::create_directories(profile, ec);
    std::filesystem::permissions(profile, std::filesystem::perms::owner_all, ec); // it holds a token
    auto opened = Engine::open(profile + "/pinhole.db", stderrSink(verbose));
    if (!opened)
        return fail(opened.status());
    Engine& engine = **opened;

    if (command == "login") {
        if (positional.size() != 2) {
            std::cerr << kUsage;
            return kExitUsage;
        }
        const std::string& url = positional[0];
        auto key = engine.untrustedServerKey(url);
        if (!key)
            return fail(key.status());
        std::string pin;
        if (*key) {
            // Trust on first use: a self-signed server's key is pinned now and required later.
            std::cerr << "pinhole-cli: " << url << " has a certificate no authority signed; pinning its key\n"
                      << "certificate fingerprint (SHA-256; compare with `pinholed admin fingerprint`): "
                      << (*key)->fingerprint << "\n";
            pin = (*key)->pin;
        }
        const std::string password = readPassword(options.count("--password-stdin") > 0);
        if (auto s = engine.login(url, positional[1], password, pin); !s)
            return fail(s);
        std::cout << "signed in to " << url << " as " << positional[1] << "\n";
        return 0;
    }

    if (command == "import") {
        if (positional.empty()) {
            std::cerr << kUsage;
            return kExitUsage;
        }
        std::optional<std::string> album;
        if (options.count("--album"))
            album = options["--album"];
        ImportReport total;
        for (const auto& path : positional) {
            ProgressBar bar("importing");
            auto report = engine.library().importPath(path, album, [&](const ImportProgress& p) {
                bar.update(p.done, p.total, std::filesystem::path(p.path).filename().string());
            });
            bar.finish();
            if (!report)
                return fail(report.status());
            total.files += report->files;
            total.newAssets += report->newAssets;
            total.duplicates += report->duplicates;
            total.skipped += report->skipped;
            for (const auto& e : report->errors)
                std::cerr << "pinhole-cli: " << e << "\n";
            total.errors.insert(total.errors.end(), report->errors.begin(), report->errors.end());
        }
        std::cout << "imported " << total.newAssets << " new photos (" << total.duplicates
                  << " already in the library, " << total.skipped << " files skipped: not a supported image)\n";
        if (options.count("--offline") || !engine.isLoggedIn())
            return total.errors.empty() ? 0 : kExitError;
        const int synced = runImportSync(engine);
        return synced != 0 ? synced : (total.errors.empty() ? 0 : kExitError);
    }

    if (command == "sync") {
        if (options.count("--watch")) {
            std::signal(SIGINT, onSignal);
            std::signal(SIGTERM, onSignal);
            engine.onChange([](Change) { std::cout << "synced\n" << std::flush; });
            engine.startWatching(5000);
            while (!g_stop)
                ::pause();
            engine.stopWatching();
            return 0;
        }
        auto r = engine.syncOnce();
        if (!r)
            return fail(r.status());
        printReport(*r);
        return 0;
    }

    if (command == "status") {
        auto s = engine.status();
        if (!s)
            return fail(s.status());
        std::cout << "server:      " << s->serverUrl.value_or("(not signed in)") << "\n"
                  << "user:        " << s->username.value_or("-") << "\n";
        std::cout << "last sync:   ";
        if (s->lastSyncAt) {
            const std::time_t t = static_cast<std::time_t>(*s->lastSyncAt / 1000);
            char buf[64];
            std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&t));
            std::cout << buf << "\n";
        } else {
            std::cout << "never\n";
        }
        std::cout << "cursor:      " << s->cursor.value_or("-") << "\n"
                  << "photos:      " << s->assets << "\n"
                  << "uploads:     " << s->uploadsPending << " pending, " << s->uploadsDone << " done, "
                  << s->parkedUploads.size() << " parked\n"
                  << "operations:  " << s->operations.queued + s->operations.sending << " pending, "
                  << s->operations.applied << " applied, " << s->operations.parked << " parked\n";
        for (const auto& op : s->parkedOperations)
            std::cout << "  parked operation " << op.id << " (" << op.kind << "): " << op.reason.value_or("") << "\n";
        for (const auto& up : s->parkedUploads)
            std::cout << "  parked upload " << up.sha256 << ": " << up.reason << "\n";
        return 0;
    }

    if (command == "post") {
        if (positional.empty() || !options.count("--caption")) {
            std::cerr << kUsage;
            return kExitUsage;
        }
        std::vector<std::string> hashes;
        for (const auto& file : positional) {
            auto report = engine.library().importPath(file);
            if (!report)
                return fail(report.status());
            if (report->files != 1)
                return fail(Status(Code::InvalidArgument, file + " is not an image the server accepts"));
            auto sha = sha256OfFile(file);
            if (!sha)
                return fail(sha.status());
            hashes.push_back(*sha);
        }
        const std::string visibility = options.count("--visibility") ? options["--visibility"] : "public";
        if (visibility != "public" && visibility != "unlisted" && visibility != "private") {
            std::cerr << "pinhole-cli: --visibility is public, unlisted or private\n";
            return kExitUsage;
        }
        auto op = engine.library().post(hashes, options["--caption"], visibility);
        if (!op)
            return fail(op.status());
        // Flushed: the post is stored, whatever happens to the sync that follows.
        std::cout << "post queued (operation " << *op << ")" << std::endl;
        if (!engine.isLoggedIn())
            return 0;
        return runImportSync(engine);
    }

    if (command == "export" || command == "import-export") {
        if (positional.size() != 1) {
            std::cerr << kUsage;
            return kExitUsage;
        }
        return command == "export" ? runExport(engine, positional[0]) : runImportExport(engine, positional[0]);
    }

    std::cerr << "pinhole-cli: unknown command " << command << "\n" << kUsage;
    return kExitUsage;
}
