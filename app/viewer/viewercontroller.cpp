#include "viewer/viewercontroller.h"

#include "images/providers.h"

#include <QDateTime>
#include <QLocale>
#include <QLoggingCategory>
#include <QQmlEngine>
#include <QUuid>

namespace pinhole::app {

namespace {
Q_LOGGING_CATEGORY(lcViewer, "pinhole.viewer")

// Everything the viewer shows about one photo, read in one library-thread task.
struct Loaded {
    std::optional<sync::LocalAsset> asset;
    std::vector<std::string> tags;
    std::vector<sync::Region> regions;
    std::vector<std::pair<std::string, int>> tagCounts;
    QString error;
};

QString text(const std::optional<std::string>& s) {
    return s ? QString::fromStdString(*s) : QString();
}

QStringList toQt(const std::vector<std::string>& v) {
    QStringList out;
    for (const auto& s : v)
        out << QString::fromStdString(s);
    return out;
}

sync::Region toRegion(const QString& id, QRectF box, const QString& kind, const QString& label) {
    sync::Region r;
    r.id = id.toStdString();
    r.x = box.x();
    r.y = box.y();
    r.w = box.width();
    r.h = box.height();
    r.kind = kind.toStdString();
    r.label = label.trimmed().toStdString();
    return r;
}
} // namespace

ViewerController::ViewerController(QObject* parent) : QObject(parent) {}

void ViewerController::componentComplete() {
    if (!m_session)
        setSession(sessionFor(qmlEngine(this)));
}

void ViewerController::setSession(Session* session) {
    if (session == m_session)
        return;
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    if (m_session)
        connect(m_session, &Session::libraryChanged, this, &ViewerController::reload);
    emit sessionChanged();
    reload();
}

void ViewerController::setModel(QAbstractItemModel* model) {
    if (model == m_model)
        return;
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (m_model) {
        // Rows come and go as the library changes: keep showing the photo at the index, if any.
        connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
            followModel();
            emit countChanged();
        });
        connect(m_model, &QAbstractItemModel::layoutChanged, this, [this] { followModel(); });
        connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
            followModel();
            emit countChanged();
        });
        connect(m_model, &QAbstractItemModel::rowsRemoved, this, [this] {
            followModel();
            emit countChanged();
        });
    }
    emit modelChanged();
    emit countChanged();
    followModel();
}

void ViewerController::setCurrentIndex(int index) {
    if (index == m_currentIndex)
        return;
    m_currentIndex = index;
    emit currentIndexChanged();
    followModel();
}

bool ViewerController::next() {
    if (m_currentIndex + 1 >= count())
        return false;
    setCurrentIndex(m_currentIndex + 1);
    return true;
}

bool ViewerController::previous() {
    if (m_currentIndex <= 0 || count() == 0)
        return false;
    setCurrentIndex(m_currentIndex - 1);
    return true;
}

void ViewerController::followModel() {
    if (!m_model || m_currentIndex < 0 || m_currentIndex >= m_model->rowCount())
        return;
    const int role = m_model->roleNames().key("sha256", -1);
    if (role < 0) {
        qCWarning(lcViewer) << "the viewer's model has no sha256 role";
        return;
    }
    setSha256(m_model->data(m_model->index(m_currentIndex, 0), role).toString());
}

void ViewerController::setSha256(const QString& sha256) {
    if (sha256 == m_sha256)
        return;
    m_sha256 = sha256;
    emit sha256Changed();
    // Nothing of the previous photo stays on screen while the next one is read.
    m_asset.reset();
    m_tags.clear();
    m_regions.reset({});
    emit assetChanged();
    emit tagsChanged();
    reload();
}

void ViewerController::setLoading(bool loading) {
    if (loading == m_loading)
        return;
    m_loading = loading;
    emit loadingChanged();
}

void ViewerController::reload() {
    if (!m_session || m_sha256.isEmpty())
        return;
    const int generation = ++m_generation;
    const std::string sha = m_sha256.toStdString();
    setLoading(true);
    m_session->call<Loaded>(
        [sha](sync::Engine& engine) {
            Loaded loaded;
            sync::Library& library = engine.library();
            auto asset = library.asset(sha);
            auto tags = library.tags(sha);
            auto regions = library.regions(sha);
            auto counts = library.tagCounts();
            const auto note = [&loaded](const auto& result) {
                if (!result && loaded.error.isEmpty())
                    loaded.error = QString::fromStdString(result.status().message());
            };
            note(asset);
            note(tags);
            note(regions);
            note(counts);
            if (asset)
                loaded.asset = *asset;
            if (tags)
                loaded.tags = *tags;
            if (regions)
                loaded.regions = *regions;
            if (counts)
                loaded.tagCounts = *counts;
            return loaded;
        },
        this,
        [this, generation](Loaded loaded) {
            if (generation != m_generation)
                return; // a newer read (another photo, or a later edit) is on its way
            setLoading(false);
            if (!loaded.error.isEmpty())
                qCWarning(lcViewer).noquote() << "reading photo" << m_sha256 << ":" << loaded.error;
            m_asset = std::move(loaded.asset);
            m_tags = toQt(loaded.tags);
            m_regions.reset(std::move(loaded.regions));
            m_suggestions.setTags(loaded.tagCounts);
            m_suggestions.setExcluded(m_tags);
            emit assetChanged();
            emit tagsChanged();
        });
}

QString ViewerController::takenAt() const {
    if (!m_asset || !m_asset->takenAt)
        return {};
    const QString raw = QString::fromStdString(*m_asset->takenAt);
    const QDateTime when = QDateTime::fromString(raw, Qt::ISODate);
    if (!when.isValid())
        return raw;
    // The camera's wall-clock time: EXIF has no zone, so none is shown (nor converted to).
    return QLocale().toString(when.date(), QLocale::LongFormat) + QStringLiteral(", ") +
           QLocale().toString(when.time(), QLocale::ShortFormat);
}

QString ViewerController::camera() const {
    if (!m_asset)
        return {};
    const QString make = text(m_asset->cameraMake), model = text(m_asset->cameraModel);
    // Models usually repeat the make ("Canon" + "Canon EOS R5"): say it once.
    if (model.startsWith(make, Qt::CaseInsensitive))
        return model;
    return QStringList{make, model}.join(QLatin1Char(' ')).trimmed();
}

QString ViewerController::lens() const {
    return m_asset ? text(m_asset->lens) : QString();
}

QString ViewerController::exposure() const {
    if (!m_asset)
        return {};
    QStringList parts;
    if (m_asset->exposureTime)
        parts << QString::fromStdString(*m_asset->exposureTime) + QStringLiteral(" s");
    if (m_asset->fNumber)
        parts << QStringLiteral("ƒ/") + QString::fromStdString(*m_asset->fNumber);
    if (m_asset->iso)
        parts << QStringLiteral("ISO ") + QString::fromStdString(*m_asset->iso);
    if (m_asset->focalLength)
        parts << QString::fromStdString(*m_asset->focalLength) + QStringLiteral(" mm");
    return parts.join(QStringLiteral(" · "));
}

QSizeF ViewerController::sourceSize() const {
    if (!m_asset || !m_asset->width || !m_asset->height)
        return {};
    return QSizeF(*m_asset->width, *m_asset->height);
}

QString ViewerController::dimensions() const {
    const QSizeF stored = sourceSize();
    if (stored.isEmpty())
        return {};
    // As the photo stands (orientations 5..8 turn it a quarter).
    const QSizeF upright = orientation() >= 5 && orientation() <= 8 ? stored.transposed() : stored;
    return QStringLiteral("%1 × %2 (%3 MP)")
        .arg(qint64(upright.width()))
        .arg(qint64(upright.height()))
        .arg(upright.width() * upright.height() / 1e6, 0, 'f', 1);
}

QString ViewerController::fileSize() const {
    return m_asset && m_asset->size > 0 ? QLocale().formattedDataSize(m_asset->size) : QString();
}

QString ViewerController::place() const {
    if (!m_asset || !m_asset->latitude || !m_asset->longitude)
        return {};
    return QStringLiteral("%1, %2").arg(*m_asset->latitude, 0, 'f', 5).arg(*m_asset->longitude, 0, 'f', 5);
}

QString ViewerController::thumbhash() const {
    if (!m_asset || !m_asset->thumbhash)
        return {};
    // image://placeholder/ takes base64url (a '/' would split the URL).
    const QByteArray bytes = QByteArray::fromBase64(QByteArray::fromStdString(*m_asset->thumbhash));
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

void ViewerController::save(const QString& what,
                            std::function<sync::Status(sync::Library&, const std::string& sha)> edit) {
    if (!m_session || m_sha256.isEmpty())
        return;
    ++m_generation; // a read begun before this edit would show the photo without it
    // Session::edit reports a failure (editFailed, shown by the app) and, like every edit, is
    // followed by libraryChanged, on which this controller re-reads the photo: a refused edit
    // disappears from the screen.
    m_session->edit([sha = m_sha256.toStdString(), what = what.toStdString(),
                     edit = std::move(edit)](sync::Engine& engine) -> sync::Status {
        sync::Status status = edit(engine.library(), sha);
        if (!status)
            return {status.code(), what + ": " + status.message()};
        return status;
    });
}

void ViewerController::setCaption(const QString& text) {
    if (!m_asset || text == caption())
        return;
    m_asset->caption = text.toStdString();
    emit assetChanged();
    save(tr("Saving the caption"),
         [t = text.toStdString()](sync::Library& l, const std::string& sha) { return l.setCaption(sha, t); });
}

void ViewerController::setRating(int stars) {
    if (!m_asset || stars == rating())
        return;
    m_asset->rating = stars;
    emit assetChanged();
    save(tr("Saving the rating"),
         [stars](sync::Library& l, const std::string& sha) { return l.setRating(sha, stars); });
}

void ViewerController::setFavourite(bool favourite) {
    if (!m_asset || favourite == this->favourite())
        return;
    m_asset->favourite = favourite;
    emit assetChanged();
    save(tr("Saving the favourite"),
         [favourite](sync::Library& l, const std::string& sha) { return l.setFavourite(sha, favourite); });
}

void ViewerController::addTag(const QString& label) {
    const QString tag = label.trimmed();
    if (tag.isEmpty() || m_tags.contains(tag, Qt::CaseInsensitive))
        return;
    m_tags << tag;
    m_suggestions.setExcluded(m_tags);
    emit tagsChanged();
    save(tr("Adding the tag %1").arg(tag),
         [t = tag.toStdString()](sync::Library& l, const std::string& sha) { return l.addTag(sha, t); });
}

void ViewerController::removeTag(const QString& label) {
    if (!m_tags.removeOne(label))
        return;
    m_suggestions.setExcluded(m_tags);
    emit tagsChanged();
    save(tr("Removing the tag %1").arg(label),
         [t = label.toStdString()](sync::Library& l, const std::string& sha) { return l.removeTag(sha, t); });
}

QString ViewerController::addRegion(QRectF box, const QString& kind, const QString& label) {
    if (m_sha256.isEmpty() || box.isEmpty())
        return {};
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const sync::Region region = toRegion(id, box.intersected(QRectF(0, 0, 1, 1)), kind, label);
    m_regions.add(region);
    save(tr("Saving the region"), [region](sync::Library& l, const std::string& sha) -> sync::Status {
        auto added = l.addRegion(sha, region);
        return added ? sync::Status() : added.status();
    });
    return id;
}

void ViewerController::updateRegion(const QString& id, QRectF box, const QString& kind, const QString& label) {
    const sync::Region region = toRegion(id, box.intersected(QRectF(0, 0, 1, 1)), kind, label);
    const sync::Region* old = m_regions.find(region.id);
    if (!old || (old->x == region.x && old->y == region.y && old->w == region.w && old->h == region.h &&
                 old->kind == region.kind && old->label == region.label))
        return;
    m_regions.update(region);
    save(tr("Saving the region"),
         [region](sync::Library& l, const std::string& sha) { return l.updateRegion(sha, region); });
}

void ViewerController::removeRegion(const QString& id) {
    if (!m_regions.remove(id.toStdString()))
        return;
    save(tr("Deleting the region"),
         [rid = id.toStdString()](sync::Library& l, const std::string& sha) { return l.removeRegion(sha, rid); });
}

} // namespace pinhole::app
