// A post in the feed (and at the top of its page): author, the photos (arrows or a swipe between
// them), like button with count, comment count, the caption with clickable hashtags, and for the
// user's own post a menu to delete it. Actions go to App.social; the delegate only binds.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole.Core

Pane {
    id: post

    required property string postId
    required property string authorName
    required property string authorHandle
    required property string avatarUrl
    required property string createdAt
    required property string caption
    required property var media
    required property int likes
    required property int comments
    required property bool likedByMe
    required property bool pending
    required property bool pendingLike
    required property bool isMine
    required property string visibility
    // On the post's own page the comment button does not open it again.
    property bool showsThread: false
    // The photos' area is 4:3 of the width, at most this tall (the post's page keeps room for
    // its comments).
    property real maxPhotoHeight: 480

    signal openPost(string postId)
    signal hashtagClicked(string hashtag)
    signal deleted()

    padding: 0
    // A drawn card rather than Material elevation, whose shadow needs shaders the software
    // renderer (tests, remote desktops) does not have.
    background: Rectangle {
        radius: 8
        color: post.Material.theme === Material.Dark ? "#262626" : "#ffffff"
        border.color: post.Material.theme === Material.Dark ? "#3a3a3a" : "#dddddd"
    }

    contentItem: ColumnLayout {
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 12
            spacing: 10
            Rectangle {
                id: avatar
                Layout.preferredWidth: 40
                Layout.preferredHeight: 40
                radius: 20
                color: post.Material.accentColor
                Label {
                    anchors.centerIn: parent
                    visible: avatarImage.status !== Image.Ready
                    text: post.authorName.length > 0 ? post.authorName[0].toUpperCase() : "?"
                    color: "white"
                    font.pixelSize: 18
                    font.bold: true
                }
                Image {
                    id: avatarImage
                    anchors.fill: parent
                    source: post.avatarUrl
                    fillMode: Image.PreserveAspectCrop
                    sourceSize: Qt.size(80, 80)
                    visible: status === Image.Ready
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                Label {
                    text: post.authorName
                    font.bold: true
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Label {
                    text: post.pending ? qsTr("%1 · waiting to be sent").arg(post.authorHandle)
                                       : post.authorHandle + (post.createdAt.length > 0 ? " · " + post.createdAt : "")
                              + (post.visibility === "private" ? qsTr(" · followers only")
                                 : post.visibility === "unlisted" ? qsTr(" · unlisted") : "")
                    opacity: 0.7
                    font.pixelSize: 12
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
            }
            ToolButton {
                objectName: "postMenuButton"
                visible: post.isMine
                text: "⋯"
                onClicked: postMenu.popup()
                Menu {
                    id: postMenu
                    MenuItem {
                        objectName: "deletePostItem"
                        text: qsTr("Delete post")
                        onTriggered: {
                            App.social.deletePost(post.postId)
                            post.deleted()
                        }
                    }
                }
            }
        }

        Item {
            id: photos
            objectName: "postPhotos"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(width * 0.75, post.maxPhotoHeight)
            clip: true
            Rectangle {
                anchors.fill: parent
                color: post.Material.theme === Material.Dark ? "#1a1a1a" : "#eeeeee"
            }
            SwipeView {
                id: swipe
                anchors.fill: parent
                Repeater {
                    model: post.media
                    Item {
                        id: slide
                        required property string modelData
                        Image {
                            id: photo
                            anchors.fill: parent
                            source: slide.modelData
                            fillMode: Image.PreserveAspectFit
                            asynchronous: true
                            sourceSize.width: 1080
                        }
                        BusyIndicator {
                            anchors.centerIn: parent
                            running: slide.modelData.length > 0 && photo.status === Image.Loading
                        }
                        Label {
                            anchors.centerIn: parent
                            width: parent.width - 48
                            horizontalAlignment: Text.AlignHCenter
                            wrapMode: Text.WordWrap
                            visible: slide.modelData.length === 0 || photo.status === Image.Error
                            text: slide.modelData.length === 0 ? qsTr("The server is still preparing this photo")
                                                                : qsTr("This photo could not be loaded")
                            opacity: 0.7
                        }
                    }
                }
            }
            RoundButton {
                anchors.left: parent.left
                anchors.leftMargin: 8
                anchors.verticalCenter: parent.verticalCenter
                visible: swipe.count > 1 && swipe.currentIndex > 0
                text: "‹"
                font.pixelSize: 20
                onClicked: swipe.decrementCurrentIndex()
            }
            RoundButton {
                objectName: "nextPhotoButton"
                anchors.right: parent.right
                anchors.rightMargin: 8
                anchors.verticalCenter: parent.verticalCenter
                visible: swipe.count > 1 && swipe.currentIndex < swipe.count - 1
                text: "›"
                font.pixelSize: 20
                onClicked: swipe.incrementCurrentIndex()
            }
            PageIndicator {
                anchors.bottom: parent.bottom
                anchors.horizontalCenter: parent.horizontalCenter
                visible: swipe.count > 1
                count: swipe.count
                currentIndex: swipe.currentIndex
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: 4
            Layout.rightMargin: 12
            spacing: 0
            ToolButton {
                objectName: "likeButton"
                enabled: !post.pending
                text: (post.likedByMe ? "♥ " : "♡ ") + post.likes
                font.pixelSize: 16
                Material.foreground: post.likedByMe ? Material.Red : post.Material.foreground
                onClicked: App.social.toggleLike(post.postId)
                ToolTip.visible: hovered
                ToolTip.text: post.likedByMe ? qsTr("Unlike") : qsTr("Like")
            }
            ToolButton {
                objectName: "commentsButton"
                enabled: !post.pending
                text: post.comments === 1 ? qsTr("1 comment") : qsTr("%1 comments").arg(post.comments)
                onClicked: if (!post.showsThread) post.openPost(post.postId)
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Open the post and its comments")
            }
            Item { Layout.fillWidth: true }
            Label {
                visible: post.pendingLike
                text: qsTr("sending…")
                opacity: 0.6
                font.pixelSize: 12
            }
        }

        Label {
            objectName: "captionLabel"
            visible: post.caption.length > 0
            Layout.fillWidth: true
            Layout.leftMargin: 12
            Layout.rightMargin: 12
            Layout.bottomMargin: 12
            text: post.caption
            textFormat: Text.StyledText
            wrapMode: Text.Wrap
            linkColor: post.Material.accentColor
            onLinkActivated: link => {
                const tag = App.feed.hashtagOfLink(link)
                if (tag.length > 0)
                    post.hashtagClicked(tag)
            }
            HoverHandler { cursorShape: parent.hoveredLink.length > 0 ? Qt.PointingHandCursor : Qt.ArrowCursor }
        }
    }
}
