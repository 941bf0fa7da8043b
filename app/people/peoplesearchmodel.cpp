#include "people/peoplesearchmodel.h"

namespace pinhole::app {

PeopleSearchModel::PeopleSearchModel(Session* session, QObject* parent)
    : QAbstractListModel(parent), m_session(session) {
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &PeopleSearchModel::search);
}

int PeopleSearchModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_hits.size());
}

QVariant PeopleSearchModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Hit& h = m_hits[std::size_t(index.row())];
    switch (role) {
    case KindRole: return h.kind;
    case AccountIdRole: return h.person.id;
    case UsernameRole: return h.person.username;
    case Qt::DisplayRole: return h.kind == QLatin1String("hashtag") ? QVariant("#" + h.hashtag) : QVariant(h.person.displayName);
    case DisplayNameRole: return h.person.displayName;
    case AvatarRole: return h.person.avatar;
    case LockedRole: return h.person.locked;
    case HashtagRole: return h.hashtag;
    default: return {};
    }
}

QHash<int, QByteArray> PeopleSearchModel::roleNames() const {
    return {{KindRole, "kind"},         {AccountIdRole, "accountId"}, {UsernameRole, "username"},
            {DisplayNameRole, "displayName"}, {AvatarRole, "avatar"},     {LockedRole, "locked"},
            {HashtagRole, "hashtag"}};
}

void PeopleSearchModel::setQuery(const QString& query) {
    if (query == m_query)
        return;
    m_query = query;
    emit queryChanged();
    ++m_generation;
    if (m_query.trimmed().isEmpty()) {
        m_debounce.stop();
        apply({});
        return;
    }
    setLoading(true);
    m_debounce.start();
}

void PeopleSearchModel::search() {
    m_session->call<Answer>(
        [q = m_query.trimmed().toStdString()](sync::Engine& engine) {
            Answer out;
            auto found = engine.social().search(q);
            if (!found) {
                out.error = found.status().code() == sync::Code::Unavailable
                                ? tr("Search needs the server, which cannot be reached now.")
                                : QString::fromStdString(found.status().message());
                return out;
            }
            for (const auto& a : found->accounts)
                out.hits.push_back({QStringLiteral("account"), personOf(a), {}});
            for (const auto& tag : found->hashtags)
                out.hits.push_back({QStringLiteral("hashtag"), {}, QString::fromStdString(tag)});
            return out;
        },
        this, [this, generation = m_generation](Answer answer) {
            if (generation == m_generation)
                apply(std::move(answer));
        });
}

void PeopleSearchModel::apply(Answer answer) {
    const int before = count();
    beginResetModel();
    m_hits = std::move(answer.hits);
    endResetModel();
    if (before != count())
        emit countChanged();
    if (answer.error != m_error) {
        m_error = answer.error;
        emit errorChanged();
    }
    setLoading(false);
}

void PeopleSearchModel::setLoading(bool loading) {
    if (loading == m_loading)
        return;
    m_loading = loading;
    emit loadingChanged();
}

} // namespace pinhole::app
