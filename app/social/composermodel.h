// The composer (ComposerPage): the photos of a new post, in order and reorderable, as rows; the
// caption with #hashtag and @mention completion; the visibility; and per photo a metadata
// preview that states what followers receive — the derivative sizes the server will serve
// (server/media/derivatives.h, described in docs/api.md "Media bytes") and what it strips:
// "location removed" for a photo with GPS, "camera data removed" for one with camera EXIF,
// never the original. post() queues Library::post (offline too) and empties the composer.
// Threading: GUI thread; reads and the post run on the library thread through the Session.
#pragma once

#include "session.h"
#include "viewer/tagsuggestionsmodel.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QSize>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

namespace pinhole::app {

class ComposerModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The composer is App.composer")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(QString caption READ caption WRITE setCaption NOTIFY captionChanged)
    // "public", "unlisted" or "private" (followers only).
    Q_PROPERTY(QString visibility READ visibility WRITE setVisibility NOTIFY visibilityChanged)
    Q_PROPERTY(QStringList visibilities READ visibilities CONSTANT)
    // Completion of the word at the caption's cursor: "#" (hashtags), "@" (accounts) or "".
    Q_PROPERTY(QString completionKind READ completionKind NOTIFY completionChanged)
    Q_PROPERTY(pinhole::app::TagSuggestionsModel* suggestions READ suggestions CONSTANT)
    Q_PROPERTY(bool canPost READ canPost NOTIFY countChanged)
    // Why the post cannot be made as it is ("" when it can).
    Q_PROPERTY(QString problem READ problem NOTIFY countChanged)

public:
    static constexpr int kMaxPhotos = 10; // a post carries 1 to 10 photos (docs/api.md)
    enum Role {
        Sha256Role = Qt::UserRole + 1,
        SizesRole,   // "thumb 360 × 360 · preview 1080 × 720 · large 2048 × 1365"
        RemovedRole, // QStringList: "location removed", "camera data removed"
        PreviewRole, // the whole sentence for this photo, as the page shows it
        LoadedRole,  // its metadata has been read
    };

    struct Photo {
        QString sha256;
        bool loaded = false;
        QSize upright;       // invalid when unknown
        bool gps = false;    // the original carries a location
        bool camera = false; // ... camera make, model, lens or exposure
    };

    explicit ComposerModel(Session* session, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Starts a new post with these photos (the library's selection, or the viewer's photo).
    Q_INVOKABLE void start(const QStringList& sha256s);
    Q_INVOKABLE void move(int from, int to);
    Q_INVOKABLE void remove(int row);
    Q_INVOKABLE QString sha256At(int row) const;

    QString caption() const { return m_caption; }
    void setCaption(const QString& caption);
    QString visibility() const { return m_visibility; }
    void setVisibility(const QString& visibility);
    static QStringList visibilities();

    // Looks at the word before `cursor` in the caption and offers completions for it.
    Q_INVOKABLE void updateCompletion(int cursor);
    // Replaces that word with `label` (a hashtag or a username) and a space; returns the new
    // cursor position.
    Q_INVOKABLE int complete(const QString& label, int cursor);
    QString completionKind() const { return m_completionKind; }
    TagSuggestionsModel* suggestions() { return &m_suggestions; }

    bool canPost() const { return problem().isEmpty(); }
    QString problem() const;
    // Queues the post; false (nothing queued) when it cannot be made. Then `posted`.
    Q_INVOKABLE bool post();

    // What a follower receives of a photo of this upright size (thumb, preview, large), as the
    // server's derivative plan computes it.
    static QString derivativeSizes(QSize upright);
    static QStringList removedFor(const Photo& photo);
    static QString previewFor(const Photo& photo);

signals:
    void countChanged();
    void captionChanged();
    void visibilityChanged();
    void completionChanged();
    void posted();

private:
    void loadPhotos();
    void loadVocabulary();

    QPointer<Session> m_session;
    std::vector<Photo> m_photos;
    QString m_caption;
    QString m_visibility = QStringLiteral("public");
    QString m_completionKind;
    std::vector<std::pair<std::string, int>> m_hashtags, m_accounts; // completion vocabularies
    TagSuggestionsModel m_suggestions;
    int m_generation = 0;
};

} // namespace pinhole::app
