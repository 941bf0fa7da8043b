// Connecting and signing in: the server address, sign in or register, and trust on first use
// for a self-signed server — its certificate fingerprint is shown for the user to accept once,
// then the key is pinned (Engine::login with pinnedKey); a server that later presents another
// key is refused with a warning. Signed in once, the app opens into the library, online or not.
//
// The steps (each on the library thread):
//
//   signIn/registerAccount ──► key check ──► (self-signed, not pinned yet) ──► trustRequired
//                                  │                                         │ trustServer()
//                                  │ (pinned and equal, or CA-trusted, or http)◄─┘
//                                  ├──► [register: POST /api/v1/accounts] ──► login ──► signedIn
//                                  └──► (pinned and different) ──► error: the key changed
//
// Threading: GUI thread only.
#pragma once

#include "session.h"

#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace pinhole::app {

class AccountController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The account comes from App.account")
    Q_PROPERTY(bool ready READ ready NOTIFY changed) // the stored state is known
    Q_PROPERTY(bool signedIn READ signedIn NOTIFY changed)
    Q_PROPERTY(QString serverUrl READ serverUrl NOTIFY changed)
    Q_PROPERTY(QString username READ username NOTIFY changed)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    // Non-empty while the user is asked to trust a self-signed server ("AB:CD:...").
    Q_PROPERTY(QString trustFingerprint READ trustFingerprint NOTIFY trustChanged)
    // True when the refusal in `error` is a changed certificate (the UI shows it as a warning).
    Q_PROPERTY(bool keyChanged READ keyChanged NOTIFY errorChanged)

public:
    explicit AccountController(Session* session, QObject* parent = nullptr);

    bool ready() const { return m_ready; }
    bool signedIn() const { return m_signedIn; }
    QString serverUrl() const { return m_serverUrl; }
    QString username() const { return m_username; }
    bool busy() const { return m_busy; }
    QString error() const { return m_error; }
    QString trustFingerprint() const { return m_trustFingerprint; }
    bool keyChanged() const { return m_keyChanged; }

    // Reads whether this profile is signed in (after Session::open).
    void refresh();

    Q_INVOKABLE void signIn(const QString& serverUrl, const QString& username, const QString& password);
    Q_INVOKABLE void registerAccount(const QString& serverUrl, const QString& username, const QString& email,
                                     const QString& password);
    // The user accepted (or refused) the fingerprint in trustFingerprint.
    Q_INVOKABLE void trustServer();
    Q_INVOKABLE void distrustServer();
    // Forgets the token (the library and the pinned key stay on this computer).
    Q_INVOKABLE void signOut();

signals:
    void changed();
    void busyChanged();
    void errorChanged();
    void trustChanged();
    void signedInNow(); // a sign-in just succeeded

private:
    struct Attempt {
        QString url, username, email, password;
        bool create = false;
        QString acceptedPin; // the pin the user accepted, if asked
    };
    struct Outcome {
        enum Kind { SignedIn, NeedsTrust, Failed } kind = Failed;
        QString error;
        bool keyChanged = false;
        QString fingerprint, pin;
        QString url, username;
    };
    void attempt(Attempt a);
    static Outcome attemptOn(sync::Engine& engine, const Attempt& a);
    void setBusy(bool busy);
    void setError(const QString& error, bool keyChanged = false);

    Session* m_session;
    bool m_ready = false;
    bool m_signedIn = false;
    QString m_serverUrl, m_username;
    bool m_busy = false;
    QString m_error;
    bool m_keyChanged = false;
    QString m_trustFingerprint;
    Attempt m_pending; // waiting for the user's trust decision
};

} // namespace pinhole::app
