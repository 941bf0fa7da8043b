#include "daemon/admin.h"

#include "auth/crypto.h"
#include "core/log.h"
#include "daemon/daemon.h"
#include "http/tlscert.h"

#include <boost/program_options.hpp>

#include <unistd.h>

#include <cstdio>
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

Result<Config> buildConfig(const po::variables_map& vm) {
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
    if (config.logLevel == "debug")
        log::setMinimumLevel(log::Level::Debug);
    else if (config.logLevel == "warn")
        log::setMinimumLevel(log::Level::Warn);
    else if (config.logLevel == "error")
        log::setMinimumLevel(log::Level::Error);
    else if (config.logLevel != "info")
        return invalidArgument("log level must be debug, info, warn or error");
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

int admin(const std::string& command, const std::vector<std::string>& args) {
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
    if (args[0] == "admin" && args.size() >= 2)
        return admin(args[1], {args.begin() + 2, args.end()});
    std::fprintf(stderr, "pinholed: unknown command \"%s\"\n%s", args[0].c_str(), kUsage);
    return 2;
}

} // namespace pinhole::server
