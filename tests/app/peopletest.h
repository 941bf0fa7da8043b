// Helpers for the people suites: an App signed in to the real pinholed, and sync rounds until a
// condition holds (each round waited for by its syncFinished signal, never by time).
#pragma once

#include "app.h"
#include "apptest.h"

#include <QSignalSpy>
#include <QTest>

#include <functional>
#include <memory>

namespace pinhole::test {

// A new App on the profile folder `dir`, signed in to `serverUrl` as `username`; null on failure.
inline std::unique_ptr<app::App> signedInApp(const QString& dir, const QString& serverUrl, const QString& username,
                                             const QString& password) {
    auto services = std::make_unique<app::App>(dir, QString());
    services->start();
    auto* account = services->account();
    if (!QTest::qWaitFor([account] { return account->ready(); }, 15'000))
        return nullptr;
    account->signIn(serverUrl, username, password);
    if (!QTest::qWaitFor([account] { return account->signedIn(); }, 15'000))
        return nullptr;
    return services;
}

// Runs sync rounds until `done()` holds (checked after each round, once the models had a moment
// to re-read); false after `rounds` rounds.
inline bool syncUntil(app::App& services, const std::function<bool()>& done, int rounds = 15) {
    for (int i = 0; i < rounds; ++i) {
        if (done())
            return true;
        QSignalSpy finished(&services.session(), &app::Session::syncFinished);
        services.session().syncNow();
        if (!finished.wait(30'000))
            return false;
        if (QTest::qWaitFor(done, 500))
            return true;
    }
    return done();
}

} // namespace pinhole::test
