#include "daemon/admin.h"

#include "annotations/xmpexport.h"
#include "auth/crypto.h"
#include "core/clock.h"
#include "core/log.h"
#include "daemon/daemon.h"
#include "daemon/seed.h"
#include "social/counters.h"
#include "http/tlscert.h"
#include "jobs/jobqueue.h"
#include "maintenance/backup.h"
#include "store/accountstore.h"

#include <boost/program_options.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace pinhole::server {

namespace {

constexpr const char* kUsage = R"(usage: pinholed <command> [options]

commands:
  serve                        run the server (see pinholed serve --help)
  admin create-user NAME       create an account [--email E] [--admin] [--password-stdin]
  admin reset-password NAME    set a new password [--password-stdin]; signs the account out everywhere
  admin approve NAME           approve an account registered under registration.mode = "approval"
  admin fingerprint            print the SHA-256 fingerprint of the server's TLS certificate
  admin jobs list              list background jobs, newest first [--state S] [--queue Q] [--limit N]
  admin jobs retry ID          run an errored or canceled job again, its attempts reset
  admin jobs cancel ID         cancel a job; a running one first finishes its current attempt
  admin export-xmp NAME        write an XMP sidecar of every photo of the account into a folder, as a
                               background job [--dest DIR] (default <data-dir>/exports/NAME/xmp)
  admin recount                compare the counters with a recount of their rows, report and fix
                               differences; exits 1 if any counter differed
  seed                         fill the data directory with synthetic accounts, follows and posts:
                               --users N --follows K --posts P [--fans F] [--photos N]
                               [--tokens M --tokens-file FILE] [--random-seed S]
  admin backup DEST            copy the database and media into a new directory (the server may run)
  admin restore SRC            restore a backup into an empty data directory (the server stopped)
  admin check                  verify the database and every stored file; exit status 1 on a problem
  admin routes                 list every HTTP route as "METHOD PATTERN MAX_BODY_BYTES"

Every command takes --config FILE and --data-dir DIR to find the data directory.
)";

po::options_description commonOptions() {
    po::options_description o("common options");
    o.add_options()("help,h", "show this help")("config", po::value<std::string>(), "TOML configuration file")(
        "data-dir", po::value<std::string>(), "data directory (database, media, keys)");
    return o;
}

po::options_description serveOptions() {
    po::options_description o("serve options (each overrides the configuration file)");
    o.add_options()("listen", po::value<std::string>(),
                    "HOST:PORT to listen on (default 127.0.0.1:8470; port 0 picks one)")(
        "public-url", po::value<std::string>(), "the URL clients reach this server at (default: from --listen)")(
        "tls-self-signed", "serve HTTPS with a certificate created once in the data directory")(
        "tls-cert", po::value<std::string>(), "serve HTTPS with this PEM certificate chain")(
        "tls-key", po::value<std::string>(), "... and this PEM private key")(
        "registration", po::value<std::string>(), "open, approval or closed")("log-level", po::value<std::string>(),
                                                                              "debug, info, warn or error");
    return o;
}

int fail(const std::string& message) {
    std::fprintf(stderr, "pinholed: %s\n", message.c_str());
    return 1;
}

// Defaults, then the --config file, then the flags; validated, without side effects (SIGHUP
// reads it again).
Result<Config> readConfig(const po::variables_map& vm) {
    Config config;
    if (vm.count("config"))
        PINHOLE_TRY(loadConfigFile(vm["config"].as<std::string>(), config));
    if (vm.count("data-dir"))
        config.dataDir = vm["data-dir"].as<std::string>();
    if (vm.count("listen"))
        PINHOLE_TRY(parseListen(vm["listen"].as<std::string>(), config));
    if (vm.count("public-url"))
        config.publicUrl = vm["public-url"].as<std::string>();
    if (vm.count("tls-self-signed"))
        config.tlsSelfSigned = true;
    if (vm.count("tls-cert"))
        config.tlsCert = vm["tls-cert"].as<std::string>();
    if (vm.count("tls-key"))
        config.tlsKey = vm["tls-key"].as<std::string>();
    if (vm.count("log-level"))
        config.logLevel = vm["log-level"].as<std::string>();
    if (vm.count("registration")) {
        const auto mode = vm["registration"].as<std::string>();
        if (mode == "open")
            config.registration = RegistrationMode::Open;
        else if (mode == "approval")
            config.registration = RegistrationMode::Approval;
        else if (mode == "closed")
            config.registration = RegistrationMode::Closed;
        else
            return invalidArgument("--registration must be open, approval or closed");
    }
    if (!log::levelNamed(config.logLevel))
        return invalidArgument("log level must be debug, info, warn or error");
    return config;
}

// readConfig, then the log level takes effect.
Result<Config> buildConfig(const po::variables_map& vm) {
    auto config = readConfig(vm);
    if (config)
        log::setMinimumLevel(*log::levelNamed(config->logLevel));
    return config;
}

// Parses `args` (after the command words) with `options`; positional NAME if `wantName`.
Result<po::variables_map> parse(const std::vector<std::string>& args, const po::options_description& options,
                                bool wantName) {
    po::options_description all = options;
    all.add_options()("name", po::value<std::string>(), "");
    po::positional_options_description positional;
    if (wantName)
        positional.add("name", 1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        return invalidArgument(e.what());
    }
    return vm;
}

Result<std::string> readPassword(const po::variables_map& vm, bool& generated) {
    generated = false;
    if (vm.count("password-stdin")) {
        std::string line;
        std::getline(std::cin, line);
        while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
            line.pop_back();
        return line;
    }
    generated = true;
    return auth::randomToken().substr(0, 20);
}

int serve(const std::vector<std::string>& args) {
    po::options_description options = commonOptions();
    options.add(serveOptions());
    auto vm = parse(args, options, false);
    if (!vm)
        return fail(vm.status().message());
    if (vm->count("help")) {
        std::cout << "usage: pinholed serve [options]\n\n" << options << "\n";
        return 0;
    }
    auto config = buildConfig(*vm);
    if (!config)
        return fail(config.status().message());
    auto daemon = Daemon::create(std::move(config).value());
    if (!daemon)
        return fail(daemon.status().message());
    (*daemon)->reloadFrom([vm = *vm] { return readConfig(vm); });
    auto url = (*daemon)->listen();
    if (!url)
        return fail(url.status().message());
    // The first line on stdout is the URL: scripts and tests started with port 0 read it.
    std::printf("pinholed listening on %s\n", url->c_str());
    if (!(*daemon)->tlsFingerprint().empty())
        std::printf("TLS certificate SHA-256 fingerprint: %s\n", (*daemon)->tlsFingerprint().c_str());
    std::fflush(stdout);
    (*daemon)->run();
    return 0;
}

// One line per job, under a header; the last error goes last and whole (on one line). A running
// job with a cancel request shows as "canceling".
void printJobs(const std::vector<jobs::Job>& list) {
    const auto printRow = [](std::initializer_list<std::pair<std::string, std::size_t>> columns) {
        std::string line;
        for (const auto& [text, width] : columns) // a column wider than its width pushes the rest on
            line += text + std::string(text.size() < width ? width - text.size() : 0, ' ') + "  ";
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        std::printf("%s\n", line.c_str());
    };
    printRow({{"ID", 19}, {"QUEUE", 16}, {"STATE", 9}, {"TRIES", 5}, {"KEY", 19}, {"UPDATED", 24}, {"LAST ERROR", 0}});
    for (const auto& job : list) {
        std::string error = job.lastError.value_or("");
        std::replace(error.begin(), error.end(), '\n', ' ');
        printRow({{idToString(job.id), 19},
                  {job.queue, 16},
                  {job.cancelRequested ? "canceling" : std::string(jobs::stateName(job.state)), 9},
                  {std::to_string(job.attempts) + "/" + std::to_string(job.maxAttempts), 5},
                  {job.exclusivityKey.value_or("-"), 19},
                  {isoTime(job.updatedAt), 24},
                  {error, 0}});
    }
}

// `admin jobs list|retry|cancel`: works on the data directory while the server runs (WAL); a
// retried job is picked up by the server's workers within their poll interval.
int adminJobs(const std::vector<std::string>& args) {
    const std::string command = args.empty() ? "" : args[0];
    po::options_description options = commonOptions();
    options.add_options()("state", po::value<std::string>(), "list: only jobs in this state");
    options.add_options()("queue", po::value<std::string>(), "list: only jobs of this queue");
    options.add_options()("limit", po::value<int>()->default_value(100), "list: at most this many jobs");
    if (command != "list" && command != "retry" && command != "cancel") {
        if (command == "--help" || command == "-h") {
            std::cout << kUsage << "\n" << options << "\n";
            return 0;
        }
        return fail("admin jobs needs list, retry ID or cancel ID\n" + std::string(kUsage));
    }
    auto vm = parse({args.begin() + 1, args.end()}, options, command != "list");
    if (!vm)
        return fail(vm.status().message());
    if (vm->count("help")) {
        std::cout << kUsage << "\n" << options << "\n";
        return 0;
    }
    auto config = buildConfig(*vm);
    if (!config)
        return fail(config.status().message());
    auto store = openStore(*config);
    if (!store)
        return fail(store.status().message());
    jobs::JobQueue queue(**store);

    if (command == "list") {
        jobs::JobFilter filter;
        if (vm->count("state")) {
            filter.state = jobs::stateFromName((*vm)["state"].as<std::string>());
            if (!filter.state)
                return fail("--state must be invisible, pending, running, completed, canceled or errored");
        }
        if (vm->count("queue"))
            filter.queue = (*vm)["queue"].as<std::string>();
        filter.limit = (*vm)["limit"].as<int>();
        auto list = queue.list(filter);
        if (!list)
            return fail(list.status().message());
        printJobs(*list);
        return 0;
    }
    if (!vm->count("name"))
        return fail("admin jobs " + command + " needs a job ID");
    const std::string text = (*vm)["name"].as<std::string>();
    const auto id = idFromString(text);
    if (!id)
        return fail("\"" + text + "\" is not a job ID");
    if (command == "retry") {
        auto job = queue.retry(*id);
        if (!job)
            return fail(job.status().message());
        std::printf("job %s is pending again, its attempts reset\n", text.c_str());
        return 0;
    }
    auto job = queue.cancel(*id);
    if (!job)
        return fail(job.status().message());
    if (job->state == jobs::JobState::Running)
        std::printf("job %s is running: it ends canceled unless its current attempt succeeds\n", text.c_str());
    else
        std::printf("job %s is canceled\n", text.c_str());
    return 0;
}

// Progress of a long maintenance command on standard error: rewritten in place on a terminal,
// a line per thousand files otherwise.
maintenance::Progress progressPrinter(const char* verb) {
    const bool terminal = ::isatty(STDERR_FILENO) != 0;
    return [verb, terminal](std::int64_t done, std::int64_t total, std::int64_t bytes) {
        if (terminal || done % 1000 == 0 || done == total)
            std::fprintf(stderr, "%s%s %lld/%lld files (%.1f MB)%s", terminal ? "\r" : "", verb,
                         static_cast<long long>(done), static_cast<long long>(total), double(bytes) / 1e6,
                         terminal && done != total ? "" : "\n");
    };
}

// `admin backup DEST`, `admin restore SRC` and `admin check` (maintenance/backup.h). Backup and
// check read a data directory the server may be using (WAL); restore writes an empty one.
int adminMaintenance(const std::string& command, const std::vector<std::string>& args) {
    const po::options_description options = commonOptions();
    const bool wantPath = command != "check";
    auto vm = parse(args, options, wantPath);
    if (!vm)
        return fail(vm.status().message());
    if (vm->count("help")) {
        std::cout << kUsage << "\n" << options << "\n";
        return 0;
    }
    auto config = buildConfig(*vm);
    if (!config)
        return fail(config.status().message());
    if (wantPath && !vm->count("name"))
        return fail("admin " + command + " needs a directory: admin " + command +
                    (command == "backup" ? " DEST" : " SRC"));
    if (auto s = auth::initCrypto(); !s)
        return fail(s.message());
    const std::string path = wantPath ? (*vm)["name"].as<std::string>() : std::string();
    if (command == "backup" || command == "restore") {
        const bool isBackup = command == "backup";
        auto done = isBackup ? maintenance::backup(config->dataDir, path, progressPrinter("copied"))
                             : maintenance::restore(path, config->dataDir, progressPrinter("verified and restored"));
        if (!done)
            return fail(done.status().message());
        std::printf("%s %lld files (%.1f MB) %s %s\n", isBackup ? "backed up" : "restored",
                    static_cast<long long>(done->files), double(done->bytes) / 1e6, isBackup ? "to" : "into",
                    (isBackup ? path : config->dataDir).c_str());
        return 0;
    }
    auto report = maintenance::check(config->dataDir, progressPrinter("checked"));
    if (!report)
        return fail(report.status().message());
    for (const std::string& problem : report->problems)
        std::printf("%s\n", problem.c_str());
    std::printf("checked the database and %lld files: %s\n", static_cast<long long>(report->filesChecked),
                report->problems.empty() ? "no problems" : (std::to_string(report->problems.size()) + " problems").c_str());
    return report->problems.empty() ? 0 : 1;
}

// `admin recount`: the counters consumer catches up, then every counter is compared with a count
// of its rows and rewritten from it, all in one transaction.
// `admin routes`: the router exactly as `serve` builds it (the daemon is composed over the data
// directory but never listens), so tests and audits can walk every endpoint.
int adminRoutes(const std::vector<std::string>& args) {
    auto vm = parse(args, commonOptions(), false);
    if (!vm)
        return fail(vm.status().message());
    if (vm->count("help")) {
        std::cout << kUsage << "\n" << commonOptions() << "\n";
        return 0;
    }
    auto config = buildConfig(*vm);
    if (!config)
        return fail(config.status().message());
    auto daemon = Daemon::create(*config);
    if (!daemon)
        return fail(daemon.status().message());
    for (const auto& route : (*daemon)->router().routes())
        std::printf("%s %s %zu\n", route.method.c_str(), route.pattern.c_str(), route.options.maxBodyBytes);
    return 0;
}

int adminRecount(const std::vector<std::string>& args) {
    auto vm = parse(args, commonOptions(), false);
    if (!vm)
        return fail(vm.status().message());
    if (vm->count("help")) {
        std::cout << kUsage << "\n" << commonOptions() << "\n";
        return 0;
    }
    auto config = buildConfig(*vm);
    if (!config)
        return fail(config.status().message());
    auto store = openStore(*config);
    if (!store)
        return fail(store.status().message());
    auto db = (*store)->connection();
    if (!db)
        return fail(db.status().message());
    auto differences = social::recount(**db, true);
    if (!differences)
        return fail(differences.status().message());
    for (const auto& d : *differences)
        std::printf("%s of %s was %lld, recount %lld: fixed\n", d.counter.c_str(), idToString(d.subject).c_str(),
                    static_cast<long long>(d.stored), static_cast<long long>(d.actual));
    if (differences->empty()) {
        std::printf("every counter equals its recount\n");
        return 0;
    }
    std::printf("%zu counters differed\n", differences->size());
    return 1;
}

int seed(const std::vector<std::string>& args) {
    po::options_description options = commonOptions();
    options.add_options()("users", po::value<int>()->default_value(100), "accounts to make")(
        "follows", po::value<int>()->default_value(10), "accounts each account follows, at random")(
        "posts", po::value<int>()->default_value(1000), "posts, by random accounts")(
        "fans", po::value<int>()->default_value(0), "accounts that also follow user0")(
        "photos", po::value<int>()->default_value(4), "real photos (shared by every account)")(
        "tokens", po::value<int>()->default_value(0), "bearer tokens to issue for random accounts")(
        "tokens-file", po::value<std::string>()->default_value("tokens.txt"), "where to write them")(
        "random-seed", po::value<std::uint64_t>()->default_value(1), "seed of the random choices");
    auto vm = parse(args, options, false);
    if (!vm)
        return fail(vm.status().message());
    if (vm->count("help")) {
        std::cout << "usage: pinholed seed [options]\n\n" << options << "\n";
        return 0;
    }
    auto config = buildConfig(*vm);
    if (!config)
        return fail(config.status().message());
    SeedOptions o;
    o.users = (*vm)["users"].as<int>();
    o.follows = (*vm)["follows"].as<int>();
    o.posts = (*vm)["posts"].as<int>();
    o.fans = (*vm)["fans"].as<int>();
    o.photos = (*vm)["photos"].as<int>();
    o.tokens = (*vm)["tokens"].as<int>();
    o.tokensFile = (*vm)["tokens-file"].as<std::string>();
    o.randomSeed = (*vm)["random-seed"].as<std::uint64_t>();
    if (auto s = seedData(*config, o, std::cout); !s)
        return fail(s.message());
    return 0;
}

// `admin export-xmp NAME`: enqueues the export-xmp job (annotations/xmpexport.h) for the running
// server's workers (within their poll interval); its progress is DIR/progress.json and
// `admin jobs list --queue export-xmp`.
int adminExportXmp(const std::vector<std::string>& args) {
    po::options_description options = commonOptions();
    options.add_options()("dest", po::value<std::string>(), "the folder for the sidecars");
    auto vm = parse(args, options, true);
    if (!vm)
        return fail(vm.status().message());
    if (vm->count("help")) {
        std::cout << kUsage << "\n" << options << "\n";
        return 0;
    }
    if (!vm->count("name"))
        return fail("admin export-xmp needs an account NAME");
    auto config = buildConfig(*vm);
    if (!config)
        return fail(config.status().message());
    auto store = openStore(*config);
    if (!store)
        return fail(store.status().message());
    const std::string name = (*vm)["name"].as<std::string>();
    Result<store::Account> account = [&]() -> Result<store::Account> {
        auto db = (*store)->connection();
        if (!db)
            return db.status();
        return store::accountByUsername(**db, name);
    }();
    if (!account)
        return fail("admin export-xmp: no account " + name);
    std::error_code ec;
    const std::string dest =
        std::filesystem::absolute(vm->count("dest") ? std::filesystem::path((*vm)["dest"].as<std::string>())
                                                    : std::filesystem::path(config->dataDir) / "exports" / name / "xmp",
                                  ec)
            .string();
    jobs::JobQueue queue(**store);
    jobs::EnqueueOptions enqueue;
    enqueue.exclusivityKey = "export-xmp:" + idToString(account->id); // one export of an account at a time
    auto job = queue.enqueue(annotations::kXmpExportQueue, annotations::xmpExportPayload({account->id, dest}), enqueue);
    if (!job)
        return fail(job.status().message());
    std::printf("queued export-xmp job %s: the sidecars of %s go into %s\n"
                "progress: %s/progress.json, or `pinholed admin jobs list --queue export-xmp`\n",
                idToString(job->id).c_str(), name.c_str(), dest.c_str(), dest.c_str());
    return 0;
}

int admin(const std::string& command, const std::vector<std::string>& args) {
    if (command == "export-xmp")
        return adminExportXmp(args);
    if (command == "jobs")
        return adminJobs(args);
    if (command == "recount")
        return adminRecount(args);
    if (command == "routes")
        return adminRoutes(args);
    if (command == "backup" || command == "restore" || command == "check")
        return adminMaintenance(command, args);
    po::options_description options = commonOptions();
    options.add_options()("email", po::value<std::string>(), "e-mail address")("admin", "make an administrator")(
        "password-stdin", "read the password from standard input instead of generating one");
    const bool wantName = command != "fingerprint";
    auto vm = parse(args, options, wantName);
    if (!vm)
        return fail(vm.status().message());
    if (vm->count("help")) {
        std::cout << kUsage << "\n" << options << "\n";
        return 0;
    }
    auto config = buildConfig(*vm);
    if (!config)
        return fail(config.status().message());

    if (command == "fingerprint") {
        auto fp = http::certificateFingerprint(config->tlsCert.empty() ? http::selfSignedPaths(config->dataDir).certFile
                                                                       : config->tlsCert);
        if (!fp)
            return fail(fp.status().message());
        std::printf("%s\n", fp->c_str());
        return 0;
    }
    if (!vm->count("name"))
        return fail("admin " + command + " needs an account NAME");
    const std::string name = (*vm)["name"].as<std::string>();

    if (auto s = auth::initCrypto(); !s)
        return fail(s.message());
    auto store = openStore(*config);
    if (!store)
        return fail(store.status().message());
    accounts::AccountService accounts(**store, *config);

    if (command == "create-user") {
        bool generated = false;
        auto password = readPassword(*vm, generated);
        if (!password)
            return fail(password.status().message());
        accounts::NewAccount input{name, std::nullopt, *password, vm->count("admin") > 0};
        if (vm->count("email"))
            input.email = (*vm)["email"].as<std::string>();
        auto account = accounts.registerAccount(input, false);
        if (!account)
            return fail(account.status().message());
        std::printf("created account %s (id %s)%s\n", account->username.c_str(), idToString(account->id).c_str(),
                    account->isAdmin ? " as an administrator" : "");
        if (generated)
            std::printf("password: %s\n", password->c_str());
        return 0;
    }
    if (command == "reset-password") {
        bool generated = false;
        auto password = readPassword(*vm, generated);
        if (!password)
            return fail(password.status().message());
        if (auto s = accounts.resetPassword(name, *password); !s)
            return fail(s.message());
        std::printf("password of %s changed; its sessions are signed out\n", name.c_str());
        if (generated)
            std::printf("password: %s\n", password->c_str());
        return 0;
    }
    if (command == "approve") {
        if (auto s = accounts.approve(name); !s)
            return fail(s.message());
        std::printf("approved %s\n", name.c_str());
        return 0;
    }
    return fail("unknown admin command \"" + command + "\"\n" + kUsage);
}

} // namespace

int runCommandLine(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(kUsage, args.empty() ? stderr : stdout);
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::printf("pinholed %s\n", PINHOLE_VERSION);
        return 0;
    }
    if (args[0] == "serve")
        return serve({args.begin() + 1, args.end()});
    if (args[0] == "seed")
        return seed({args.begin() + 1, args.end()});
    if (args[0] == "admin" && args.size() >= 2)
        return admin(args[1], {args.begin() + 2, args.end()});
    std::fprintf(stderr, "pinholed: unknown command \"%s\"\n%s", args[0].c_str(), kUsage);
    return 2;
}

} // namespace pinhole::server
