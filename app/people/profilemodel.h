// One account's profile page: the header (avatar, name, bio, counts, the relationship: following,
// requested, not following, pending) and, as the rows, the grid of its posts in the local mirror.
// Follow / unfollow / cancel a request are optimistic (queued in the outbox through Social, shown
// at once); one the server refuses is reverted by the read itself and its reason shown in
// `message` (Social::refusals). The user's own profile is editable: display name, bio, locked,
// avatar from a library photo, sent online (Social::updateProfile) on the library thread.
//
// Threading: GUI thread only.
#pragma once

#include "people/person.h"
#include "readgate.h"
#include "session.h"

#include <QAbstractListModel>
#include <QUrl>

#include <optional>
#include <QtQml/qqmlregistration.h>

namespace pinhole::app {

class ProfileModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Profiles come from App.profile(accountId)")
    // Empty: the user's own profile.
    Q_PROPERTY(QString accountId READ accountId NOTIFY profileChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    // Whether the profile was found in the mirror (an unknown account has nothing to show).
    Q_PROPERTY(bool found READ found NOTIFY profileChanged)
    Q_PROPERTY(bool isMe READ isMe NOTIFY profileChanged)
    Q_PROPERTY(QString username READ username NOTIFY profileChanged)
    Q_PROPERTY(QString displayName READ displayName NOTIFY profileChanged)
    Q_PROPERTY(QString bio READ bio NOTIFY profileChanged)
    Q_PROPERTY(QUrl avatar READ avatar NOTIFY profileChanged)
    Q_PROPERTY(bool locked READ locked NOTIFY profileChanged)
    Q_PROPERTY(int followers READ followers NOTIFY profileChanged)
    Q_PROPERTY(int following READ following NOTIFY profileChanged)
    Q_PROPERTY(int posts READ postCount NOTIFY profileChanged)
    Q_PROPERTY(Relation relation READ relation NOTIFY profileChanged)
    Q_PROPERTY(bool followsMe READ followsMe NOTIFY profileChanged)
    // A follow, unfollow or answer waits in the outbox.
    Q_PROPERTY(bool pending READ pending NOTIFY profileChanged)
    // Why the last follow / unfollow here was refused, or why saving the profile failed; empty
    // otherwise.
    Q_PROPERTY(QString message READ message NOTIFY messageChanged)
    Q_PROPERTY(bool saving READ saving NOTIFY savingChanged)

public:
    enum class Relation { Self, NotFollowing, Following, Requested, Blocked };
    Q_ENUM(Relation)
    enum Role {
        PostIdRole = Qt::UserRole + 1,
        ThumbnailRole,   // the server's thumb of the first photo; empty while the post is pending
        LocalSha256Role, // a pending post's first photo in the local library (App.thumbnailUrl)
        PhotoCountRole,
        CaptionRole,
        LikesRole,
        CommentsRole,
        PendingRole
    };
    Q_ENUM(Role)

    struct Post {
        QString id;
        QUrl thumbnail;
        QString localSha256;
        int photos = 0;
        QString caption;
        int likes = 0, comments = 0;
        bool pending = false;
    };
    // What one read of the library thread gives.
    struct Snapshot {
        bool found = false;
        bool known = false; // in the local mirror (else shown from the seed, if any)
        bool isMe = false;
        Person person;
        int followers = 0, following = 0, posts = 0;
        Relation relation = Relation::NotFollowing;
        bool followsMe = false, pending = false;
        std::vector<Post> rows;
        QString refusal; // the newest refusal of a follow / unfollow of this account since `since`
    };

    // `accountId` empty: the user's own profile. Reads it at once. `seed`: what the opener knows
    // of an account the mirror may not have (a search hit), shown until the mirror has it.
    ProfileModel(Session* session, const QString& accountId, const Person& seed = {}, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString accountId() const { return m_accountId; }
    bool loading() const { return m_reads.busy(); }
    bool found() const { return m_s.found; }
    bool isMe() const { return m_s.isMe; }
    QString username() const { return m_s.person.username; }
    QString displayName() const { return m_s.person.displayName; }
    QString bio() const { return m_s.person.bio; }
    QUrl avatar() const { return m_s.person.avatar; }
    bool locked() const { return m_s.person.locked; }
    int followers() const { return m_s.followers; }
    int following() const { return m_s.following; }
    int postCount() const { return m_s.posts; }
    Relation relation() const { return m_s.relation; }
    bool followsMe() const { return m_s.followsMe; }
    bool pending() const { return m_s.pending; }
    QString message() const { return m_message; }
    bool saving() const { return m_saving; }

    Q_INVOKABLE void reload();
    // Follow (a request, if the account is locked), unfollow, or withdraw a request.
    Q_INVOKABLE void follow();
    Q_INVOKABLE void unfollow();
    Q_INVOKABLE void cancelRequest() { unfollow(); }
    // The user's own profile: sends the changes (online); `avatarSha256` empty keeps the avatar.
    // Then saved(), or saveFailed(message) with `message` set.
    Q_INVOKABLE void saveProfile(const QString& displayName, const QString& bio, bool locked,
                                 const QString& avatarSha256);
    Q_INVOKABLE void clearMessage();

signals:
    void profileChanged();
    void loadingChanged();
    void messageChanged();
    void savingChanged();
    void saved();
    void saveFailed(const QString& message);

private:
    void apply(Snapshot snapshot);
    void act(bool follow);
    void setMessage(const QString& message);

    Session* m_session;
    QString m_accountId;
    Person m_seed;
    // A follow (true) or unfollow (false) asked of an account not in the mirror: the read cannot
    // lay it over, so it is shown from here until the mirror has the account or it is refused.
    std::optional<bool> m_askedOfUnknown;
    Snapshot m_s;
    QString m_message;
    qint64 m_actedAt = 0; // Unix ms of the last follow / unfollow asked here; 0: none
    ReadGate m_reads;
    bool m_saving = false;
};

} // namespace pinhole::app
