#include "account/accountcontroller.h"

#include "net/accounts.h"

namespace pinhole::app {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
QString withoutTrailingSlash(QString url) {
    url = url.trimmed();
    while (url.endsWith(QLatin1Char('/')))
        url.chop(1);
    return url;
}
} // namespace

AccountController::AccountController(Session* session, QObject* parent) : QObject(parent), m_session(session) {}

void AccountController::refresh() {
    struct State {
        bool signedIn = false;
        QString url, username;
    };
    m_session->call<State>(
        [](sync::Engine& engine) {
            State s;
            s.signedIn = engine.isLoggedIn();
            s.url = qs(engine.store().meta("server_url").value_or(""));
            s.username = qs(engine.store().meta("username").value_or(""));
            return s;
        },
        this,
        [this](State s) {
            m_ready = true;
            m_signedIn = s.signedIn;
            m_serverUrl = s.url;
            m_username = s.username;
            emit changed();
        });
}

void AccountController::signIn(const QString& serverUrl, const QString& username, const QString& password) {
    attempt({withoutTrailingSlash(serverUrl), username.trimmed(), {}, password, false, {}});
}

void AccountController::registerAccount(const QString& serverUrl, const QString& username, const QString& email,
                                        const QString& password) {
    attempt({withoutTrailingSlash(serverUrl), username.trimmed(), email.trimmed(), password, true, {}});
}

void AccountController::trustServer() {
    if (m_trustFingerprint.isEmpty())
        return;
    m_trustFingerprint.clear();
    emit trustChanged();
    attempt(m_pending);
}

void AccountController::distrustServer() {
    m_trustFingerprint.clear();
    m_pending = {};
    emit trustChanged();
    setError(tr("Not connected: you did not trust the server's certificate."));
}

void AccountController::signOut() {
    m_session->stopSync();
    m_session->call<QString>(
        [](sync::Engine& engine) {
            const auto erased = engine.store().eraseMeta("access_token");
            return erased ? QString() : qs(erased.message());
        },
        this,
        [this](const QString& failure) {
            if (!failure.isEmpty()) {
                setError(tr("Could not sign out: %1").arg(failure));
                return;
            }
            m_signedIn = false;
            emit changed();
        });
}

void AccountController::attempt(Attempt a) {
    if (a.url.isEmpty() || a.username.isEmpty() || a.password.isEmpty()) {
        setError(tr("Enter the server address, your username and your password."));
        return;
    }
    if (!a.url.contains(QLatin1String("://")))
        a.url.prepend(QLatin1String("https://"));
    setBusy(true);
    setError({});
    m_session->call<Outcome>([a](sync::Engine& engine) { return attemptOn(engine, a); }, this,
                             [this, a](Outcome o) {
                                 setBusy(false);
                                 switch (o.kind) {
                                 case Outcome::NeedsTrust:
                                     m_pending = a;
                                     m_pending.acceptedPin = o.pin;
                                     m_trustFingerprint = o.fingerprint;
                                     emit trustChanged();
                                     return;
                                 case Outcome::Failed: setError(o.error, o.keyChanged); return;
                                 case Outcome::SignedIn:
                                     m_pending = {};
                                     m_signedIn = true;
                                     m_serverUrl = o.url;
                                     m_username = o.username;
                                     emit changed();
                                     emit signedInNow();
                                     return;
                                 }
                             });
}

AccountController::Outcome AccountController::attemptOn(sync::Engine& engine, const Attempt& a) {
    Outcome out;
    const std::string url = a.url.toStdString();
    auto key = engine.untrustedServerKey(url);
    if (!key) {
        out.error = tr("Could not reach %1: %2").arg(a.url, qs(key.status().message()));
        return out;
    }
    std::string pin;
    if (*key) {
        // A self-signed server: the key pinned for this address, else ask the user once.
        const auto pinned = engine.store().meta("pinned_key");
        const bool sameServer = engine.store().meta("server_url") == url;
        if (pinned && sameServer) {
            if (*pinned != (*key)->pin) {
                out.keyChanged = true;
                out.error = tr("The server's certificate has changed since you trusted it (its fingerprint is "
                               "now %1). Someone may be impersonating your server: Pinhole refused to connect. "
                               "If your server's administrator replaced the certificate, sign out and trust the "
                               "new one.")
                                .arg(qs((*key)->fingerprint));
                return out;
            }
            pin = *pinned;
        } else if (a.acceptedPin.toStdString() == (*key)->pin) {
            pin = (*key)->pin;
        } else {
            out.kind = Outcome::NeedsTrust;
            out.fingerprint = qs((*key)->fingerprint);
            out.pin = qs((*key)->pin);
            return out;
        }
    }
    if (a.create) {
        const auto created = sync::net::registerAccount(
            url, {a.username.toStdString(), a.email.toStdString(), a.password.toStdString()}, pin);
        if (!created) {
            out.error = tr("Could not create the account: %1").arg(qs(created.message()));
            return out;
        }
    }
    const auto login = engine.login(url, a.username.toStdString(), a.password.toStdString(), pin);
    if (!login) {
        out.error = login.code() == sync::Code::Unauthenticated ? tr("The username or password is not right.")
                                                                : tr("Could not sign in: %1").arg(qs(login.message()));
        return out;
    }
    out.kind = Outcome::SignedIn;
    out.url = a.url;
    out.username = a.username;
    return out;
}

void AccountController::setBusy(bool busy) {
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged();
}

void AccountController::setError(const QString& error, bool keyChanged) {
    if (error == m_error && keyChanged == m_keyChanged)
        return;
    m_error = error;
    m_keyChanged = keyChanged;
    emit errorChanged();
}

} // namespace pinhole::app
