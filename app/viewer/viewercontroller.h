// The viewer's controller: what the viewer shows about one photo (the info panel's fields,
// its caption, rating, favourite, tags and regions) and every annotation edit made there.
// Reads run on the library thread through the Session; an edit changes what is shown at once
// and is saved by Session::edit (the Library call queues its outbox op, the engine syncs it).
// A failed edit is reported (Session::editFailed) and the photo re-read, so the screen never
// shows what was not saved. Threading: GUI thread (a QML object).
#pragma once

#include "session.h"
#include "viewer/regionsmodel.h"
#include "viewer/tagsuggestionsmodel.h"

#include <QAbstractItemModel>
#include <QObject>
#include <QPointer>
#include <QQmlParserStatus>
#include <QRectF>
#include <QSizeF>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include <optional>

namespace pinhole::app {

class ViewerController : public QObject, public QQmlParserStatus {
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_ELEMENT
    Q_PROPERTY(pinhole::app::Session* session READ session WRITE setSession NOTIFY sessionChanged)
    // The photos to step through (a model with a "sha256" role: the library or an album) and
    // the one shown; or set sha256 directly.
    Q_PROPERTY(QAbstractItemModel* model READ model WRITE setModel NOTIFY modelChanged)
    Q_PROPERTY(int currentIndex READ currentIndex WRITE setCurrentIndex NOTIFY currentIndexChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // The photo shown; setting it reads its details.
    Q_PROPERTY(QString sha256 READ sha256 WRITE setSha256 NOTIFY sha256Changed)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)

    // The info panel ("" when unknown).
    Q_PROPERTY(QString takenAt READ takenAt NOTIFY assetChanged)
    Q_PROPERTY(QString camera READ camera NOTIFY assetChanged)
    Q_PROPERTY(QString lens READ lens NOTIFY assetChanged)
    Q_PROPERTY(QString exposure READ exposure NOTIFY assetChanged)
    Q_PROPERTY(QString dimensions READ dimensions NOTIFY assetChanged)
    Q_PROPERTY(QString fileSize READ fileSize NOTIFY assetChanged)
    Q_PROPERTY(QString place READ place NOTIFY assetChanged)
    // What the image geometry needs: stored pixel size and EXIF orientation, and the placeholder.
    Q_PROPERTY(QSizeF sourceSize READ sourceSize NOTIFY assetChanged)
    Q_PROPERTY(int orientation READ orientation NOTIFY assetChanged)
    Q_PROPERTY(QString thumbhash READ thumbhash NOTIFY assetChanged)

    // Annotation.
    Q_PROPERTY(QString caption READ caption NOTIFY assetChanged)
    Q_PROPERTY(int rating READ rating NOTIFY assetChanged)
    Q_PROPERTY(bool favourite READ favourite NOTIFY assetChanged)
    Q_PROPERTY(QStringList tags READ tags NOTIFY tagsChanged)
    Q_PROPERTY(pinhole::app::RegionsModel* regions READ regions CONSTANT)
    Q_PROPERTY(pinhole::app::TagSuggestionsModel* tagSuggestions READ tagSuggestions CONSTANT)
    Q_PROPERTY(QStringList regionKinds READ regionKinds CONSTANT)

public:
    explicit ViewerController(QObject* parent = nullptr);

    // Without a session by the end of its creation, it takes its engine's (sessionFor()).
    void classBegin() override {}
    void componentComplete() override;

    Session* session() const { return m_session; }
    void setSession(Session* session);
    QAbstractItemModel* model() const { return m_model; }
    void setModel(QAbstractItemModel* model);
    int currentIndex() const { return m_currentIndex; }
    void setCurrentIndex(int index);
    int count() const { return m_model ? m_model->rowCount() : 0; }
    // Steps through the model; false at either end.
    Q_INVOKABLE bool next();
    Q_INVOKABLE bool previous();

    QString sha256() const { return m_sha256; }
    void setSha256(const QString& sha256);
    bool loading() const { return m_loading; }

    QString takenAt() const;
    QString camera() const;
    QString lens() const;
    QString exposure() const;
    QString dimensions() const;
    QString fileSize() const;
    QString place() const;
    QSizeF sourceSize() const;
    int orientation() const { return m_asset ? m_asset->orientation : 1; }
    QString thumbhash() const;
    QString caption() const { return m_asset ? QString::fromStdString(m_asset->caption) : QString(); }
    int rating() const { return m_asset ? m_asset->rating : 0; }
    bool favourite() const { return m_asset && m_asset->favourite; }
    QStringList tags() const { return m_tags; }
    RegionsModel* regions() { return &m_regions; }
    TagSuggestionsModel* tagSuggestions() { return &m_suggestions; }
    QStringList regionKinds() const { return RegionsModel::kinds(); }

    Q_INVOKABLE void setCaption(const QString& text);
    Q_INVOKABLE void setRating(int stars);
    Q_INVOKABLE void setFavourite(bool favourite);
    Q_INVOKABLE void addTag(const QString& label);
    Q_INVOKABLE void removeTag(const QString& label);
    // `box` is normalised on the upright image (ViewGeometry::mapRectToImage). Returns the new
    // region's id (chosen here, so the view can select it at once).
    Q_INVOKABLE QString addRegion(QRectF box, const QString& kind, const QString& label = {});
    Q_INVOKABLE void updateRegion(const QString& id, QRectF box, const QString& kind, const QString& label);
    Q_INVOKABLE void removeRegion(const QString& id);
    // Re-reads the photo (after a sync round changed it, or a failed edit).
    Q_INVOKABLE void reload();

signals:
    void sessionChanged();
    void modelChanged();
    void currentIndexChanged();
    void countChanged();
    void sha256Changed();
    void loadingChanged();
    void assetChanged();
    void tagsChanged();

private:
    // Applies `edit` on the library thread; `what` names it in a failure's message.
    void save(const QString& what, std::function<sync::Status(sync::Library&, const std::string& sha)> edit);
    void setLoading(bool loading);
    // The sha256 of the model's row `currentIndex` becomes the photo shown.
    void followModel();

    QPointer<QAbstractItemModel> m_model;
    int m_currentIndex = -1;
    QPointer<Session> m_session;
    QString m_sha256;
    bool m_loading = false;
    int m_generation = 0; // answers for a photo no longer shown are dropped
    std::optional<sync::LocalAsset> m_asset;
    QStringList m_tags;
    RegionsModel m_regions;
    TagSuggestionsModel m_suggestions;
};

} // namespace pinhole::app
