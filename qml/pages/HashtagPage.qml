// A hashtag's page: everyone's posts with it that the server shows the user, newest first, more
// as it scrolls (online; offline it says the server is needed). Opened from a hashtag found in
// search, or one clicked in a post here. Likes work as in the feed; a post's page opens reading
// it from the server when this computer does not store it.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole
import Pinhole.Core

Page {
    id: page
    objectName: "hashtagPage"
    required property HashtagModel posts
    signal openPost(string postId)
    signal openHashtag(string hashtag)

    header: ToolBar {
        Material.elevation: 0
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 8
            Label {
                text: "#" + page.posts.hashtag
                font.pixelSize: 16
                Layout.fillWidth: true
                elide: Text.ElideRight
            }
            ToolButton {
                text: qsTr("Refresh")
                onClicked: page.posts.reload()
            }
        }
    }

    ListView {
        id: list
        objectName: "hashtagList"
        anchors.fill: parent
        clip: true
        spacing: 16
        topMargin: 16
        bottomMargin: 16
        model: page.posts
        ScrollBar.vertical: ScrollBar {}
        onAtYEndChanged: if (atYEnd && count > 0) page.posts.loadMore()
        delegate: PostListDelegate {
            width: list.width
            onOpenPost: postId => page.openPost(postId)
            onHashtagClicked: tag => {
                if (tag !== page.posts.hashtag)
                    page.openHashtag(tag)
            }
        }
    }

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 64, 420)
        visible: list.count === 0 && !page.posts.loading
        spacing: 12
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            font.pixelSize: 18
            visible: page.posts.error.length === 0
            text: qsTr("No posts with #%1 yet.").arg(page.posts.hashtag)
        }
        Label {
            objectName: "hashtagError"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            visible: page.posts.error.length > 0
            color: Material.color(Material.Red)
            text: page.posts.error
        }
    }
    BusyIndicator {
        anchors.centerIn: parent
        running: page.posts.loading && list.count === 0
    }
}
