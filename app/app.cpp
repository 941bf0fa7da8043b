#include "app.h"

#include <QDir>
#include <QJSEngine>
#include <QSettings>

namespace pinhole::app {

namespace {
App* g_instance = nullptr;
bool g_thumbProvider = false;
} // namespace

App::App(const QString& profileDir, const QString& defaultServer, QObject* parent)
    : QObject(parent), m_profileDir(profileDir), m_defaultServer(defaultServer), m_account(&m_session),
      m_library(&m_session), m_albums(&m_session), m_importer(&m_session), m_status(&m_session),
      m_uploads(&m_library, &m_status, &m_session), m_notifications(&m_session), m_feed(&m_session),
      m_social(&m_session, &m_feed), m_composer(&m_session) {
    connect(&m_session, &Session::opened, this, [this](bool ok, const QString& error) {
        if (!ok) {
            showError(tr("Could not open the library in %1: %2").arg(m_profileDir, error));
            return;
        }
        m_account.refresh();
        m_library.reload();
        m_albums.reload();
        m_status.refresh();
        m_notifications.reload();
    });
    connect(&m_account, &AccountController::changed, this, [this] {
        if (m_account.signedIn()) {
            m_session.startSync();
            m_feed.reload();
        }
    });
    connect(&m_account, &AccountController::signedInNow, this, [this] {
        m_library.reload();
        m_albums.reload();
    });
    connect(&m_session, &Session::editFailed, this, &App::showError);
    connect(&m_social, &SocialController::refused, this, &App::showError);
}

App::~App() {
    if (g_instance == this)
        g_instance = nullptr;
}

void App::setInstance(App* app) {
    g_instance = app;
}

App* App::create(QQmlEngine*, QJSEngine*) {
    Q_ASSERT(g_instance);
    QJSEngine::setObjectOwnership(g_instance, QJSEngine::CppOwnership);
    return g_instance;
}

void App::start() {
    QDir().mkpath(m_profileDir);
    m_session.open(QDir(m_profileDir).filePath(QStringLiteral("pinhole.db")));
}

void App::showError(const QString& message) {
    m_lastError = message;
    emit lastErrorChanged();
}

App::Theme App::theme() const {
    return Theme(QSettings().value(QStringLiteral("ui/theme"), int(Theme::System)).toInt());
}

void App::setTheme(Theme theme) {
    QSettings().setValue(QStringLiteral("ui/theme"), int(theme));
    emit preferencesChanged();
}

int App::thumbnailSize() const {
    return std::clamp(QSettings().value(QStringLiteral("ui/thumbnailSize"), 160).toInt(), kMinThumbnail, kMaxThumbnail);
}

void App::setThumbnailSize(int px) {
    px = std::clamp(px, kMinThumbnail, kMaxThumbnail);
    if (px == thumbnailSize())
        return;
    QSettings().setValue(QStringLiteral("ui/thumbnailSize"), px);
    emit preferencesChanged();
}

void App::zoomThumbnails(int steps) {
    // Each step is a quarter bigger or smaller, so zooming feels even at every size.
    double px = thumbnailSize();
    for (int i = 0; i < std::abs(steps); ++i)
        px = steps > 0 ? px * 1.25 : px / 1.25;
    setThumbnailSize(int(px));
}

QString App::lastView() const {
    return QSettings().value(QStringLiteral("ui/lastView"), QStringLiteral("library")).toString();
}

void App::setLastView(const QString& view) {
    if (view == lastView())
        return;
    QSettings().setValue(QStringLiteral("ui/lastView"), view);
    emit preferencesChanged();
}

QRect App::windowGeometry() const {
    return QSettings().value(QStringLiteral("ui/windowGeometry")).toRect();
}

void App::saveWindowGeometry(const QRect& geometry) {
    QSettings().setValue(QStringLiteral("ui/windowGeometry"), geometry);
}

void App::setThumbnailProviderAvailable(bool available) {
    g_thumbProvider = available;
}

QUrl App::thumbnailUrl(const QString& sha256) const {
    if (g_thumbProvider)
        return QUrl(QStringLiteral("image://thumb/") + sha256);
    const QString path = m_session.localPathOf(sha256);
    return path.isEmpty() ? QUrl() : QUrl::fromLocalFile(path);
}

ProfileModel* App::profile(const QString& accountId, const QVariantMap& seed) {
    Person person;
    if (!seed.isEmpty()) {
        person.id = accountId;
        person.username = seed.value("username").toString();
        person.displayName = seed.value("displayName").toString();
        person.avatar = seed.value("avatar").toUrl();
        person.locked = seed.value("locked").toBool();
    }
    auto* model = new ProfileModel(&m_session, accountId, person);
    QJSEngine::setObjectOwnership(model, QJSEngine::JavaScriptOwnership);
    return model;
}

AccountListModel* App::accountList(AccountListModel::Kind kind) {
    auto* model = new AccountListModel(&m_session, kind);
    QJSEngine::setObjectOwnership(model, QJSEngine::JavaScriptOwnership);
    return model;
}

PeopleSearchModel* App::peopleSearch() {
    auto* model = new PeopleSearchModel(&m_session);
    QJSEngine::setObjectOwnership(model, QJSEngine::JavaScriptOwnership);
    return model;
}

LibraryModel* App::photoSearch() {
    auto* model = new LibraryModel(&m_session);
    QJSEngine::setObjectOwnership(model, QJSEngine::JavaScriptOwnership);
    return model;
}

LibraryModel* App::albumPhotos(const QString& albumId) {
    auto* model = new LibraryModel(&m_session);
    QJSEngine::setObjectOwnership(model, QJSEngine::JavaScriptOwnership);
    model->setAlbumId(albumId);
    return model;
}

void App::createAlbumWithSelection(const QString& name) {
    std::vector<std::string> shas;
    for (const auto& s : m_library.selectedSha256s())
        shas.push_back(s.toStdString());
    m_session.edit([name = name.trimmed().toStdString(), shas](sync::Engine& engine) -> sync::Status {
        auto id = engine.library().createAlbum(name);
        if (!id)
            return id.status();
        for (const auto& sha : shas)
            PINHOLE_TRY(engine.library().addToAlbum(*id, sha));
        return sync::Status::ok();
    });
}

} // namespace pinhole::app
