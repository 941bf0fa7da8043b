#include "people/accountlistmodel.h"

namespace pinhole::app {

AccountListModel::AccountListModel(Session* session, Kind kind, QObject* parent)
    : QAbstractListModel(parent), m_session(session), m_kind(kind) {
    connect(m_session, &Session::libraryChanged, this, &AccountListModel::reload);
    reload();
}

int AccountListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_people.size());
}

QVariant AccountListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Person& p = m_people[std::size_t(index.row())];
    switch (role) {
    case AccountIdRole: return p.id;
    case UsernameRole: return p.username;
    case Qt::DisplayRole:
    case DisplayNameRole: return p.displayName;
    case AvatarRole: return p.avatar;
    case LockedRole: return p.locked;
    default: return {};
    }
}

QHash<int, QByteArray> AccountListModel::roleNames() const {
    return {{AccountIdRole, "accountId"},
            {UsernameRole, "username"},
            {DisplayNameRole, "displayName"},
            {AvatarRole, "avatar"},
            {LockedRole, "locked"}};
}

void AccountListModel::reload() {
    if (!m_reads.tryStart())
        return;
    emit loadingChanged();
    m_session->call<std::vector<Person>>(
        [kind = m_kind](sync::Engine& engine) {
            auto& social = engine.social();
            auto accounts = kind == Kind::Followers   ? social.followers()
                            : kind == Kind::Following ? social.following()
                                                      : social.followRequests();
            std::vector<Person> out;
            if (accounts)
                for (const auto& a : *accounts)
                    out.push_back(personOf(a));
            return out;
        },
        this, [this](std::vector<Person> people) { apply(std::move(people)); });
}

void AccountListModel::apply(std::vector<Person> people) {
    const int before = count();
    beginResetModel();
    m_people = std::move(people);
    endResetModel();
    if (before != count())
        emit countChanged();
    if (m_reads.finish()) {
        reload();
        return;
    }
    emit loadingChanged();
}

} // namespace pinhole::app
