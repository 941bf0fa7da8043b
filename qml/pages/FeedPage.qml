// The home feed: posts of the people followed and the user's own, newest first, more as it
// scrolls. New posts arriving while reading never move the list: a "n new posts" pill appears;
// clicking it reloads, scrolls to the top and marks the feed seen. A click on a hashtag lists
// only the posts with it (from the local feed; a chip clears the filter). Works offline.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole
import Pinhole.Core

Page {
    id: page
    objectName: "feedPage"
    signal openPost(string postId)
    readonly property alias list: list

    header: ToolBar {
        Material.elevation: 0
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 8
            Label {
                text: App.feed.hashtag.length > 0 ? qsTr("Posts with #%1").arg(App.feed.hashtag) : qsTr("Home")
                font.pixelSize: 16
                Layout.fillWidth: true
                elide: Text.ElideRight
            }
            ToolButton {
                objectName: "clearHashtagButton"
                visible: App.feed.hashtag.length > 0
                text: qsTr("Show all posts")
                onClicked: App.feed.hashtag = ""
            }
            ToolButton {
                text: qsTr("Refresh")
                onClicked: {
                    App.status.syncNow()
                    App.feed.reload()
                }
            }
        }
    }

    Connections {
        target: App.feed
        function onReloaded() { list.positionViewAtBeginning() }
    }

    ListView {
        id: list
        objectName: "feedList"
        anchors.fill: parent
        clip: true
        spacing: 16
        topMargin: 16
        bottomMargin: 16
        model: App.feed
        ScrollBar.vertical: ScrollBar {}
        onAtYEndChanged: if (atYEnd && count > 0) App.feed.loadMore()
        delegate: PostListDelegate {
            width: list.width
            onOpenPost: postId => page.openPost(postId)
            onHashtagClicked: tag => App.feed.hashtag = tag
        }
    }
    // The next page being read (not the list's footer: a bound component there cannot be
    // instantiated by the view in Qt 6.4).
    BusyIndicator {
        anchors.bottom: parent.bottom
        anchors.horizontalCenter: parent.horizontalCenter
        running: App.feed.loading && list.count > 0 && list.atYEnd
    }

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 64, 420)
        visible: list.count === 0 && !App.feed.loading
        spacing: 12
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            font.pixelSize: 18
            text: App.feed.hashtag.length > 0 ? qsTr("No posts with #%1 in your feed.").arg(App.feed.hashtag)
                                              : qsTr("Your feed is empty.")
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            opacity: 0.7
            visible: App.feed.hashtag.length === 0
            text: qsTr("Select photos in the library and choose Post… to share them. Posts of the people you follow appear here.")
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            visible: App.feed.error.length > 0
            color: Material.color(Material.Red)
            text: App.feed.error
        }
    }
    BusyIndicator {
        anchors.centerIn: parent
        running: App.feed.loading && list.count === 0
    }

    Button {
        id: pill
        objectName: "newPostsPill"
        anchors.top: parent.top
        anchors.topMargin: 12
        anchors.horizontalCenter: parent.horizontalCenter
        visible: App.feed.newPosts > 0
        highlighted: true
        text: App.feed.newPosts === 1 ? qsTr("↑ 1 new post") : qsTr("↑ %1 new posts").arg(App.feed.newPosts)
        onClicked: App.feed.reload()
        background: Rectangle {
            implicitHeight: 36
            radius: height / 2
            color: pill.Material.accentColor
        }
    }
}
