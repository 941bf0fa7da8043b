#include "people/profilemodel.h"

#include <QDateTime>

namespace pinhole::app {

namespace {

ProfileModel::Relation relationOf(const sync::Profile& p) {
    if (p.isMe || !p.relationship)
        return ProfileModel::Relation::Self;
    const auto& r = *p.relationship;
    // A follow still in the outbox shows as asked, even of an account that blocks the user:
    // the server's refusal then reverts it, visibly.
    if (r.pending && (r.following || r.requested))
        return r.following ? ProfileModel::Relation::Following : ProfileModel::Relation::Requested;
    if (r.blocking || r.blockedBy)
        return ProfileModel::Relation::Blocked;
    if (r.following)
        return ProfileModel::Relation::Following;
    if (r.requested)
        return ProfileModel::Relation::Requested;
    return ProfileModel::Relation::NotFollowing;
}

// The reason of the newest refused follow or unfollow of `accountId` made since `since` (Unix ms;
// 0: none asked), or empty.
QString refusalOf(sync::Social& social, const std::string& accountId, qint64 since) {
    if (since <= 0)
        return {};
    if (auto refusals = social.refusals(5))
        for (const auto& r : *refusals) // newest first
            if (r.target == accountId && (r.kind == "follow" || r.kind == "unfollow") && qint64(r.at) >= since)
                return QString::fromStdString(r.reason);
    return {};
}

// Reads the profile of `accountId` (empty: the user's) and the refusal of a follow or unfollow
// of it newer than `since` (Unix ms; 0: none asked). Library thread.
ProfileModel::Snapshot readProfile(sync::Engine& engine, std::string accountId, qint64 since) {
    ProfileModel::Snapshot out;
    auto& social = engine.social();
    if (accountId.empty()) {
        auto me = social.me();
        if (!me || !*me)
            return out;
        accountId = (*me)->id;
    }
    auto profile = social.profile(accountId);
    if (!profile) {
        out.person.id = QString::fromStdString(accountId);
        out.refusal = refusalOf(social, accountId, since);
        return out;
    }
    out.found = out.known = true;
    out.isMe = profile->isMe;
    out.person = personOf(profile->account);
    out.followers = int(profile->account.followers);
    out.following = int(profile->account.following);
    out.posts = int(profile->account.posts);
    out.relation = relationOf(*profile);
    if (profile->relationship) {
        out.followsMe = profile->relationship->followedBy;
        out.pending = profile->relationship->pending;
    }
    for (const auto& post : profile->posts) {
        ProfileModel::Post row;
        row.id = QString::fromStdString(post.id);
        if (!post.media.empty()) {
            row.thumbnail = QUrl(remoteImageUrl(QString::fromStdString(post.media.front().previewUrl)));
            row.localSha256 = QString::fromStdString(post.media.front().sha256);
        }
        row.photos = int(post.media.size());
        row.caption = QString::fromStdString(post.text);
        row.likes = int(post.likes);
        row.comments = int(post.comments);
        row.pending = post.pending;
        out.rows.push_back(std::move(row));
    }
    out.refusal = refusalOf(social, accountId, since);
    return out;
}

} // namespace

ProfileModel::ProfileModel(Session* session, const QString& accountId, const Person& seed, QObject* parent)
    : QAbstractListModel(parent), m_session(session), m_accountId(accountId), m_seed(seed) {
    // After an edit here and after every sync round (which may bring a refusal).
    connect(m_session, &Session::libraryChanged, this, &ProfileModel::reload);
    connect(m_session, &Session::syncFinished, this, &ProfileModel::reload);
    reload();
}

int ProfileModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_s.rows.size());
}

QVariant ProfileModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Post& p = m_s.rows[std::size_t(index.row())];
    switch (role) {
    case PostIdRole: return p.id;
    case ThumbnailRole: return p.thumbnail;
    case LocalSha256Role: return p.localSha256;
    case PhotoCountRole: return p.photos;
    case Qt::DisplayRole:
    case CaptionRole: return p.caption;
    case LikesRole: return p.likes;
    case CommentsRole: return p.comments;
    case PendingRole: return p.pending;
    default: return {};
    }
}

QHash<int, QByteArray> ProfileModel::roleNames() const {
    return {{PostIdRole, "postId"}, {ThumbnailRole, "thumbnail"}, {LocalSha256Role, "localSha256"},
            {PhotoCountRole, "photoCount"}, {CaptionRole, "caption"}, {LikesRole, "likes"},
            {CommentsRole, "comments"}, {PendingRole, "pending"}};
}

void ProfileModel::reload() {
    if (!m_reads.tryStart())
        return;
    emit loadingChanged();
    m_session->call<Snapshot>(
        [id = m_accountId.toStdString(), since = m_actedAt](sync::Engine& engine) {
            return readProfile(engine, id, since);
        },
        this, [this](Snapshot snapshot) { apply(std::move(snapshot)); });
}

void ProfileModel::apply(Snapshot snapshot) {
    if (snapshot.known || !snapshot.refusal.isEmpty())
        m_askedOfUnknown.reset();
    if (!snapshot.known && !m_seed.id.isEmpty() && m_seed.id == snapshot.person.id) {
        snapshot.found = true;
        snapshot.person = m_seed;
        if (m_askedOfUnknown && *m_askedOfUnknown)
            snapshot.relation = m_seed.locked ? Relation::Requested : Relation::Following;
        snapshot.pending = m_askedOfUnknown.has_value();
    }
    beginResetModel();
    m_s = std::move(snapshot);
    endResetModel();
    if (m_accountId.isEmpty() && m_s.found)
        m_accountId = m_s.person.id;
    emit profileChanged();
    if (!m_s.refusal.isEmpty()) {
        setMessage(tr("The server refused: %1").arg(m_s.refusal));
        m_actedAt = 0; // shown once
    }
    if (m_reads.finish()) {
        reload();
        return;
    }
    emit loadingChanged();
}

void ProfileModel::follow() {
    act(true);
}

void ProfileModel::unfollow() {
    act(false);
}

void ProfileModel::act(bool follow) {
    if (m_accountId.isEmpty() || m_s.isMe)
        return;
    setMessage({});
    m_actedAt = QDateTime::currentMSecsSinceEpoch();
    if (!m_s.known)
        m_askedOfUnknown = follow;
    m_session->edit([id = m_accountId.toStdString(), follow](sync::Engine& engine) {
        auto op = follow ? engine.social().follow(id) : engine.social().unfollow(id);
        return op ? sync::Status::ok() : op.status();
    });
}

void ProfileModel::saveProfile(const QString& displayName, const QString& bio, bool locked,
                               const QString& avatarSha256) {
    if (!m_s.isMe || m_saving)
        return;
    setMessage({});
    sync::ProfileEdit edit;
    if (displayName != m_s.person.displayName)
        edit.displayName = displayName.toStdString();
    if (bio != m_s.person.bio)
        edit.bio = bio.toStdString();
    if (locked != m_s.person.locked)
        edit.locked = locked;
    if (!avatarSha256.isEmpty())
        edit.avatarSha256 = avatarSha256.toStdString();
    if (!edit.displayName && !edit.bio && !edit.locked && !edit.avatarSha256) {
        emit saved(); // nothing to send
        return;
    }
    m_saving = true;
    emit savingChanged();
    using Answer = sync::Result<sync::SocialAccount>;
    m_session->call<Answer>(
        [edit](sync::Engine& engine) -> Answer { return engine.social().updateProfile(edit); }, this,
        [this](Answer answer) {
            m_saving = false;
            emit savingChanged();
            if (!answer) {
                const QString why = QString::fromStdString(answer.status().message());
                setMessage(answer.status().code() == sync::Code::Unavailable
                               ? tr("The profile is saved on the server, which cannot be reached now: %1").arg(why)
                               : tr("Could not save the profile: %1").arg(why));
                emit saveFailed(m_message);
                return;
            }
            // The server's answer at once; the next pull brings the same into the mirror.
            m_s.person = personOf(*answer);
            emit profileChanged();
            emit saved();
            m_session->syncNow();
        });
}

void ProfileModel::clearMessage() {
    setMessage({});
}

void ProfileModel::setMessage(const QString& message) {
    if (message == m_message)
        return;
    m_message = message;
    emit messageChanged();
}

} // namespace pinhole::app
