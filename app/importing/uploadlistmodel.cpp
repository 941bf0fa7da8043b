#include "importing/uploadlistmodel.h"

namespace pinhole::app {

UploadListModel::UploadListModel(LibraryModel* library, StatusController* status, Session* session, QObject* parent)
    : QAbstractListModel(parent), m_library(library), m_status(status), m_session(session) {
    connect(m_library, &LibraryModel::rowsLoaded, this, &UploadListModel::libraryLoaded);
    connect(m_status, &StatusController::changed, this, &UploadListModel::parkedChanged);
    connect(m_session, &Session::uploadProgress, this, &UploadListModel::progress);
}

int UploadListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_items.size());
}

QVariant UploadListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item& it = m_items[std::size_t(index.row())];
    switch (role) {
    case Sha256Role: return it.sha256;
    case Qt::DisplayRole:
    case FileNameRole: return it.fileName;
    case StateRole: return QVariant::fromValue(int(it.state));
    case ProgressRole: return it.state == State::Done ? 1.0 : it.size > 0 ? double(it.offset) / double(it.size) : 0.0;
    case ReasonRole: return it.reason;
    case SizeRole: return it.size;
    default: return {};
    }
}

QHash<int, QByteArray> UploadListModel::roleNames() const {
    return {{Sha256Role, "sha256"},     {FileNameRole, "fileName"}, {StateRole, "state"},
            {ProgressRole, "progress"}, {ReasonRole, "reason"},     {SizeRole, "size"}};
}

void UploadListModel::changedAt(int row) {
    emit dataChanged(index(row), index(row));
}

void UploadListModel::libraryLoaded() {
    // New photos not on the server join the list; listed ones that reached it are done.
    std::vector<Item> added;
    for (int i = 0; i < m_library->count(); ++i) {
        const PhotoRow& p = m_library->row(i);
        auto found = m_row.constFind(p.sha256);
        if (found != m_row.constEnd()) {
            Item& it = m_items[std::size_t(*found)];
            if (p.onServer && it.state != State::Done) {
                it.state = State::Done;
                it.offset = it.size;
                it.reason.clear();
                changedAt(*found);
            }
        } else if (!p.onServer) {
            added.push_back({p.sha256, p.fileName, State::Queued, 0, p.size, {}});
        }
    }
    if (!added.empty()) {
        const int first = count();
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (auto& it : added) {
            m_row.insert(it.sha256, int(m_items.size()));
            m_items.push_back(std::move(it));
        }
        endInsertRows();
    }
    parkedChanged(); // a new row may already be parked
}

void UploadListModel::parkedChanged() {
    QHash<QString, QString> parked;
    for (const auto& v : m_status->parkedUploads()) {
        const auto m = v.toMap();
        parked.insert(m.value("sha256").toString(), m.value("reason").toString());
    }
    for (int row = 0; row < count(); ++row) {
        Item& it = m_items[std::size_t(row)];
        auto reason = parked.constFind(it.sha256);
        if (reason != parked.constEnd() && it.state != State::Done &&
            (it.state != State::Failed || it.reason != *reason)) {
            it.state = State::Failed;
            it.reason = *reason;
            changedAt(row);
        } else if (reason == parked.constEnd() && it.state == State::Failed) {
            it.state = State::Queued; // retried
            it.reason.clear();
            changedAt(row);
        }
    }
    emit totalsChanged();
}

void UploadListModel::progress(const QString& sha256, qint64 offset, qint64 size) {
    auto found = m_row.constFind(sha256);
    if (found == m_row.constEnd())
        return;
    Item& it = m_items[std::size_t(*found)];
    if (it.state == State::Done)
        return;
    it.offset = offset;
    it.size = size;
    it.state = offset >= size ? State::Done : State::Uploading;
    changedAt(*found);
    emit totalsChanged();
}

int UploadListModel::finishedCount() const {
    return int(std::count_if(m_items.begin(), m_items.end(), [](const Item& it) { return it.state == State::Done; }));
}

int UploadListModel::failedCount() const {
    return int(std::count_if(m_items.begin(), m_items.end(), [](const Item& it) { return it.state == State::Failed; }));
}

double UploadListModel::overallProgress() const {
    qint64 total = 0, done = 0;
    for (const auto& it : m_items) {
        total += it.size;
        done += it.state == State::Done || it.state == State::Failed ? it.size : it.offset;
    }
    return total > 0 ? double(done) / double(total) : 1.0;
}

bool UploadListModel::active() const {
    return std::any_of(m_items.begin(), m_items.end(),
                       [](const Item& it) { return it.state == State::Queued || it.state == State::Uploading; });
}

void UploadListModel::retry(const QString& sha256) {
    m_status->retryUpload(sha256);
}

void UploadListModel::clearFinished() {
    std::vector<Item> keep;
    for (auto& it : m_items)
        if (it.state != State::Done)
            keep.push_back(std::move(it));
    beginResetModel();
    m_items = std::move(keep);
    m_row.clear();
    for (std::size_t i = 0; i < m_items.size(); ++i)
        m_row.insert(m_items[i].sha256, int(i));
    endResetModel();
    emit totalsChanged();
}

} // namespace pinhole::app
