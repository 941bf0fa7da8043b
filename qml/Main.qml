// The application window: sign in first; afterwards straight into the library (online or not),
// with Library / Albums / Uploads / Settings / Feed, search, notifications and the user's profile
// on the tool bar, a status bar, drag and drop of files and folders, and the keyboard shortcuts.
// Material style, light or dark (or following the system).
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import Pinhole
import Pinhole.Core

ApplicationWindow {
    id: window
    width: 1100
    height: 760
    minimumWidth: 640
    minimumHeight: 420
    visible: true
    title: qsTr("Pinhole")
    Material.theme: App.theme === App.Light ? Material.Light : App.theme === App.Dark ? Material.Dark : Material.System
    Material.accent: Material.DeepOrange

    readonly property bool signedIn: App.account.ready && App.account.signedIn
    // The tabs in order; Ctrl+1..5 ("feed" is appended, so 1..4 keep their meaning).
    readonly property var views: ["library", "albums", "uploads", "settings", "feed"]

    Component.onCompleted: {
        const g = App.windowGeometry()
        if (g.width > 0 && g.height > 0) {
            x = g.x; y = g.y; width = g.width; height = g.height
        }
        const last = window.views.indexOf(App.lastView)
        tabs.currentIndex = last >= 0 ? last : 0
    }
    onClosing: App.saveWindowGeometry(Qt.rect(x, y, width, height))

    function openImport() {
        importDialog.open()
    }
    function show(view) {
        stack.pop(null)
        tabs.currentIndex = window.views.indexOf(view)
    }
    // The composer with these photos, the feed, a post's page.
    function compose(sha256s) {
        App.composer.start(sha256s)
        stack.push(composerPage)
    }
    // `fromServer`: opened from a hashtag's page, where posts are mostly not stored locally.
    function openPost(postId, fromServer) {
        stack.push(postPage, { postId: postId, fromServer: fromServer === true })
    }
    function showHashtag(tag) {
        App.feed.hashtag = tag
        window.show("feed")
    }
    // Everyone's posts with a hashtag (online), over the page it was opened from.
    function openHashtag(tag) {
        stack.push(hashtagPage, { posts: App.social.openHashtag(tag) })
    }
    // Profiles, notifications, search.
    function openProfile(accountId, seed) {
        stack.push(profilePage, { profile: App.profile(accountId, seed || {}) })
    }
    function openNotifications() {
        if (!(stack.currentItem && stack.currentItem.objectName === "notificationsPage"))
            stack.push(notificationsPage)
    }
    function openSearch() {
        if (!(stack.currentItem && stack.currentItem.objectName === "searchPage"))
            stack.push(searchPage)
    }
    function openViewer(model, photoIndex) {
        const viewer = Qt.createComponent("viewer/ViewerPage.qml")
        if (viewer.status === Component.Ready) {
            const page = stack.push(viewer, { model: model, currentIndex: photoIndex })
            page.composePost.connect(window.compose)
        }
    }

    header: ToolBar {
        visible: window.signedIn
        // No elevation: its shadow is a shader effect, and under the software renderer (no GL:
        // virtual machines, remote desktops, the tests' screenshots) the bar was then drawn
        // without its colour, leaving the tabs' white text unreadable on white.
        Material.elevation: 0
        RowLayout {
            anchors.fill: parent
            ToolButton {
                visible: stack.depth > 1
                text: "‹"
                font.pixelSize: 22
                onClicked: stack.pop()
            }
            TabBar {
                id: tabs
                objectName: "mainTabs"
                Layout.fillWidth: true
                // On the tool bar's colour, like its buttons: the bar's own (light) background
                // left the inactive tabs' light text unreadable.
                background: null
                Material.accent: "white"
                // A tab shows its page: the viewer or an album pushed over the tabs goes, as with
                // Ctrl+1..4 (else the page changed out of sight).
                onCurrentIndexChanged: {
                    App.lastView = window.views[currentIndex]
                    stack.pop(null)
                }
                TabButton { text: qsTr("Library") }
                TabButton { text: qsTr("Albums") }
                TabButton { text: qsTr("Uploads") }
                TabButton { text: qsTr("Settings") }
                TabButton { objectName: "feedTab"; text: qsTr("Feed") }
            }
            ToolButton {
                text: qsTr("Import…")
                onClicked: window.openImport()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Import photos or folders (Ctrl+I)")
            }
            // Search, notifications (with the unread badge) and the user's profile.
            ToolButton {
                objectName: "searchButton"
                text: qsTr("Search")
                onClicked: window.openSearch()
            }
            ToolButton {
                objectName: "notificationsButton"
                text: qsTr("Notifications")
                onClicked: window.openNotifications()
                Rectangle {
                    objectName: "unreadBadge"
                    visible: App.notifications.unreadCount > 0
                    anchors.top: parent.top
                    anchors.right: parent.right
                    anchors.topMargin: 2
                    anchors.rightMargin: -4
                    width: Math.max(18, badgeText.implicitWidth + 8)
                    height: 18
                    radius: 9
                    color: Material.color(Material.Red)
                    Label {
                        id: badgeText
                        anchors.centerIn: parent
                        text: App.notifications.unreadCount > 99 ? "99+" : App.notifications.unreadCount
                        color: "white"
                        font.pixelSize: 11
                        font.bold: true
                    }
                }
            }
            ToolButton {
                objectName: "profileButton"
                text: qsTr("Profile")
                onClicked: window.openProfile("")
            }
        }
    }

    footer: StatusBar {
        visible: window.signedIn
        onShowUploads: window.show("uploads")
        onShowSettings: window.show("settings")
    }

    StackView {
        id: stack
        objectName: "mainStack"
        anchors.fill: parent
        visible: window.signedIn
        initialItem: StackLayout {
            currentIndex: tabs.currentIndex
            LibraryPage {
                id: libraryPage
                photos: App.library
                onOpenPhoto: photoIndex => window.openViewer(App.library, photoIndex)
                onComposePost: sha256s => window.compose(sha256s)
            }
            AlbumsPage {
                onOpenAlbum: (albumId, name) => stack.push(albumPage, { albumId: albumId, albumName: name })
            }
            UploadsPage {
                onImportRequested: window.openImport()
            }
            SettingsPage {}
            FeedPage {
                id: feedPage
                onOpenPost: postId => window.openPost(postId)
            }
        }
    }

    Component {
        id: composerPage
        ComposerPage {
            onPosted: window.show("feed")
        }
    }
    Component {
        id: postPage
        PostPage {
            onHashtagClicked: tag => window.showHashtag(tag)
        }
    }

    Component {
        id: albumPage
        LibraryPage {
            id: albumView
            required property string albumId
            photos: App.albumPhotos(albumId)
            onOpenPhoto: photoIndex => window.openViewer(albumView.photos, photoIndex)
            onComposePost: sha256s => window.compose(sha256s)
        }
    }


    Component {
        id: profilePage
        ProfilePage {
            id: profileView
            onOpenPost: postId => window.openPost(postId)
            onOpenList: kind => stack.push(accountListPage, { accounts: App.accountList(kind) })
            onEditProfile: stack.push(editProfilePage, { profile: profileView.profile })
        }
    }
    Component {
        id: hashtagPage
        HashtagPage {
            onOpenPost: postId => window.openPost(postId, true)
            onOpenHashtag: tag => window.openHashtag(tag)
        }
    }
    Component {
        id: editProfilePage
        EditProfilePage {
            onDone: stack.pop()
        }
    }
    Component {
        id: accountListPage
        AccountListPage {
            onOpenProfile: accountId => window.openProfile(accountId)
        }
    }
    Component {
        id: notificationsPage
        NotificationsPage {
            onOpenProfile: accountId => window.openProfile(accountId)
            onOpenPost: statusId => window.openPost(statusId)
        }
    }
    Component {
        id: searchPage
        SearchPage {
            onOpenProfile: (accountId, seed) => window.openProfile(accountId, seed)
            onOpenHashtag: tag => window.openHashtag(tag)
            onOpenPhoto: (model, photoIndex) => window.openViewer(model, photoIndex)
        }
    }

    SignInPage {
        anchors.fill: parent
        visible: App.account.ready && !App.account.signedIn
    }
    BusyIndicator {
        anchors.centerIn: parent
        running: !App.account.ready
    }

    DropArea {
        anchors.fill: parent
        enabled: window.signedIn
        // Files only: over the whole window, it would take an album's photo drags too.
        keys: ["text/uri-list"]
        onEntered: drag => drag.accept(Qt.CopyAction)
        onDropped: drop => {
            if (drop.hasUrls) {
                App.importer.importUrls(drop.urls)
                drop.accept(Qt.CopyAction)
            }
        }
        Rectangle {
            anchors.fill: parent
            visible: parent.containsDrag
            color: Qt.alpha(window.Material.accent, 0.15)
            border.color: window.Material.accent
            border.width: 3
            Label {
                anchors.centerIn: parent
                text: qsTr("Drop to import")
                font.pixelSize: 28
            }
        }
    }

    FileDialog {
        id: importDialog
        title: qsTr("Import photos")
        fileMode: FileDialog.OpenFiles
        nameFilters: [qsTr("Photos (*.jpg *.jpeg *.png *.heic *.heif *.webp *.tif *.tiff *.JPG *.JPEG)"), qsTr("All files (*)")]
        onAccepted: App.importer.importUrls(selectedFiles)
    }

    Popup {
        id: toast
        objectName: "toast"
        property string text: ""
        // It closes itself. A popup that closes on Escape makes Qt Quick block the window's
        // shortcuts while it is open (Ctrl+3 after an import did nothing).
        closePolicy: Popup.NoAutoClose
        x: (window.width - width) / 2
        y: window.height - height - 72
        onOpened: toastTimer.restart()
        Label { text: toast.text }
        Timer { id: toastTimer; interval: 4000; onTriggered: toast.close() }
        Connections {
            target: App.importer
            function onFinished() { toast.text = App.importer.summary; toast.open() }
        }
        Connections {
            target: App
            function onLastErrorChanged() { toast.text = App.lastError; toast.open() }
        }
    }

    Shortcut { sequences: [StandardKey.SelectAll]; enabled: window.signedIn; onActivated: window.currentPhotos().selectAll() }
    Shortcut {
        sequences: [StandardKey.Delete]
        enabled: window.signedIn && window.currentPhotos().selectedCount > 0
        onActivated: window.currentPhotos().trashSelection()
    }
    Shortcut {
        sequences: [StandardKey.Find]
        enabled: window.signedIn
        onActivated: {
            if (stack.depth === 1)
                window.show("library")
            const page = stack.depth > 1 ? stack.currentItem : libraryPage
            page.focusFilter()
        }
    }
    Shortcut {
        sequence: "Ctrl+T"
        enabled: window.signedIn
        onActivated: (stack.depth > 1 && stack.currentItem.openTagDialog ? stack.currentItem : libraryPage).openTagDialog()
    }
    Shortcut { sequence: "Ctrl+1"; enabled: window.signedIn; onActivated: window.show("library") }
    Shortcut { sequence: "Ctrl+2"; enabled: window.signedIn; onActivated: window.show("albums") }
    Shortcut { sequence: "Ctrl+3"; enabled: window.signedIn; onActivated: window.show("uploads") }
    Shortcut { sequence: "Ctrl+4"; enabled: window.signedIn; onActivated: window.show("settings") }
    Shortcut { sequence: "Ctrl+5"; enabled: window.signedIn; onActivated: window.show("feed") }
    Shortcut { sequence: "Ctrl+I"; enabled: window.signedIn; onActivated: window.openImport() }
    Shortcut { sequence: "Ctrl+K"; enabled: window.signedIn; onActivated: window.openSearch() }
    Shortcut { sequences: ["Ctrl+=", StandardKey.ZoomIn]; onActivated: App.zoomThumbnails(1) }
    Shortcut { sequences: ["Ctrl+-", StandardKey.ZoomOut]; onActivated: App.zoomThumbnails(-1) }
    Shortcut { sequences: ["F11"]; onActivated: window.visibility = window.visibility === Window.FullScreen ? Window.Windowed : Window.FullScreen }
    Shortcut { sequence: "Ctrl+Q"; context: Qt.ApplicationShortcut; onActivated: Qt.quit() }
    Shortcut {
        sequence: "Esc"
        enabled: window.signedIn
        onActivated: {
            if (window.visibility === Window.FullScreen)
                window.visibility = Window.Windowed
            else if (stack.depth > 1)
                stack.pop()
            else
                window.currentPhotos().clearSelection()
        }
    }

    function currentPhotos() {
        return stack.depth > 1 && stack.currentItem.photos ? stack.currentItem.photos : App.library
    }
}
