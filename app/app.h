// The app's services for QML, as one singleton (App): the session and every model and
// controller hanging off it, plus the user's preferences (theme, thumbnail size, last view,
// window geometry; QSettings). main.cpp (or a test) makes one with a profile folder and
// installs it before loading QML; QML reads `App.library`, `App.account`, ...
//
// Threading: GUI thread only (the session does the rest on its threads).
#pragma once

#include "account/accountcontroller.h"
#include "albums/albumlistmodel.h"
#include "importing/importcontroller.h"
#include "importing/uploadlistmodel.h"
#include "library/librarymodel.h"
#include "people/accountlistmodel.h"
#include "people/notificationsmodel.h"
#include "people/peoplesearchmodel.h"
#include "people/profilemodel.h"
#include "media/cachecontroller.h"
#include "session.h"
#include "social/composermodel.h"
#include "social/feedmodel.h"
#include "social/socialcontroller.h"
#include "status/statuscontroller.h"

#include <QObject>
#include <QRect>
#include <QVariantMap>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

namespace pinhole::app {

class App : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(AccountController* account READ account CONSTANT)
    Q_PROPERTY(LibraryModel* library READ library CONSTANT)
    Q_PROPERTY(AlbumListModel* albums READ albums CONSTANT)
    Q_PROPERTY(ImportController* importer READ importer CONSTANT)
    Q_PROPERTY(UploadListModel* uploads READ uploads CONSTANT)
    Q_PROPERTY(StatusController* status READ status CONSTANT)
    Q_PROPERTY(QString defaultServer READ defaultServer CONSTANT)
    Q_PROPERTY(Theme theme READ theme WRITE setTheme NOTIFY preferencesChanged)
    Q_PROPERTY(int thumbnailSize READ thumbnailSize WRITE setThumbnailSize NOTIFY preferencesChanged)
    Q_PROPERTY(QString lastView READ lastView WRITE setLastView NOTIFY preferencesChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
    // The home feed, the social actions (likes, comments, deletes, post pages) and the composer.
    Q_PROPERTY(FeedModel* feed READ feed CONSTANT)
    Q_PROPERTY(SocialController* social READ social CONSTANT)
    Q_PROPERTY(ComposerModel* composer READ composer CONSTANT)
    // The notifications (one model for the page and the badge).
    Q_PROPERTY(NotificationsModel* notifications READ notifications CONSTANT)
    // The media cache's budget and usage (the settings page).
    Q_PROPERTY(CacheController* cache READ cache CONSTANT)

public:
    enum class Theme { System, Light, Dark };
    Q_ENUM(Theme)
    static constexpr int kMinThumbnail = 64;
    static constexpr int kMaxThumbnail = 400;

    // `profileDir` holds pinhole.db (the same store as `pinhole-cli --profile DIR`); `defaultServer` prefills the
    // sign-in page.
    App(const QString& profileDir, const QString& defaultServer, QObject* parent = nullptr);
    ~App() override;

    // The instance QML gets (QML does not own it). Set before loading QML.
    static void setInstance(App* app);
    static App* create(QQmlEngine*, QJSEngine*);

    // Opens the local store; then reads the account and, if signed in, the library and sync.
    void start();

    Session& session() { return m_session; }
    AccountController* account() { return &m_account; }
    LibraryModel* library() { return &m_library; }
    AlbumListModel* albums() { return &m_albums; }
    ImportController* importer() { return &m_importer; }
    UploadListModel* uploads() { return &m_uploads; }
    StatusController* status() { return &m_status; }
    QString defaultServer() const { return m_defaultServer; }
    QString lastError() const { return m_lastError; }

    FeedModel* feed() { return &m_feed; }
    SocialController* social() { return &m_social; }
    ComposerModel* composer() { return &m_composer; }

    CacheController* cache() { return &m_cache; }

    Theme theme() const;
    void setTheme(Theme theme);
    int thumbnailSize() const;
    void setThumbnailSize(int px);
    QString lastView() const;
    void setLastView(const QString& view);
    Q_INVOKABLE void zoomThumbnails(int steps); // Ctrl+= / Ctrl+-
    Q_INVOKABLE QRect windowGeometry() const;
    Q_INVOKABLE void saveWindowGeometry(const QRect& geometry);

    // The grid's image for a photo: the thumbnail provider once it is registered, else the
    // local file (decoded smaller by the Image), else nothing.
    Q_INVOKABLE QUrl thumbnailUrl(const QString& sha256) const;
    static void setThumbnailProviderAvailable(bool available);

    // A model of one album's photos, for an album's page (QML owns it).
    Q_INVOKABLE pinhole::app::LibraryModel* albumPhotos(const QString& albumId);

    // A new album with the selected photos (the "Add to album → New album" action).
    Q_INVOKABLE void createAlbumWithSelection(const QString& name);

    // Profiles, lists, notifications and search. Each factory's model belongs to QML.
    NotificationsModel* notifications() { return &m_notifications; }
    // An account's profile page; `accountId` empty: the user's own. `seed` (username,
    // displayName, avatar, locked) shows an account the mirror does not have yet (a search hit).
    Q_INVOKABLE pinhole::app::ProfileModel* profile(const QString& accountId, const QVariantMap& seed = {});
    Q_INVOKABLE pinhole::app::AccountListModel* accountList(pinhole::app::AccountListModel::Kind kind);
    Q_INVOKABLE pinhole::app::PeopleSearchModel* peopleSearch();
    // The library searched by annotation (tags, captions): set its annotationSearch.
    Q_INVOKABLE pinhole::app::LibraryModel* photoSearch();

signals:
    void preferencesChanged();
    void lastErrorChanged();

private:
    void showError(const QString& message);

    Session m_session;
    QString m_profileDir;
    QString m_defaultServer;
    AccountController m_account;
    LibraryModel m_library;
    AlbumListModel m_albums;
    ImportController m_importer;
    StatusController m_status;
    UploadListModel m_uploads;
    NotificationsModel m_notifications;
    QString m_lastError;

    FeedModel m_feed;
    SocialController m_social;
    ComposerModel m_composer;

    CacheController m_cache{&m_session};
};

} // namespace pinhole::app
