// Creating an account on a server (docs/api.md, POST /api/v1/accounts), for the app's "Register"
// and any client without a web page to sign up on. The server wants an app token for it: this
// registers an OAuth app, takes a client_credentials token, then posts the account. Signing in
// afterwards is Engine::login. Threading: any thread (it makes its own HttpClient).
#pragma once

#include "core/status.h"
#include "net/http.h"
#include "store/localstore.h"

#include <string>

namespace pinhole::sync::net {

struct NewAccount {
    std::string username;
    std::string email;
    std::string password;
};

// InvalidArgument/Unprocessable with the server's reason for refused input (a taken name, a
// short password), Unavailable when the server can't be reached, Untrusted for a bad TLS key.
Status registerAccount(const std::string& url, const NewAccount& account, const std::string& pinnedKey = {});

// Sets `http` up for the account `store` is signed in to (its bearer token and pinned key) and
// answers the server's base URL; Unauthenticated when it is not signed in. The one place a
// client learns its account (the engine's rounds, the media cache).
Result<std::string> useSignedInAccount(HttpClient& http, store::LocalStore& store);

} // namespace pinhole::sync::net
