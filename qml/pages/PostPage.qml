// A post's page: the post, its comments (oldest first; the user's waiting ones last, marked),
// a field to write a comment, like, and delete the user's own post or comments.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole
import Pinhole.Core

Page {
    id: page
    objectName: "postPage"
    required property string postId
    // Opened from a hashtag's page: a post the local store does not hold is read from the server.
    required property bool fromServer
    readonly property ThreadModel thread: App.social.openThread(postId, fromServer)
    readonly property var post: page.thread.post
    readonly property bool hasPost: page.post.postId !== undefined
    signal hashtagClicked(string hashtag)

    function close() {
        if (page.StackView.view)
            page.StackView.view.pop()
    }

    // One flickable column, the post then its comments (a ListView's header cannot hold a bound
    // component in Qt 6.4; a post has tens of comments, not thousands).
    Flickable {
        id: flick
        objectName: "commentList"
        anchors.top: parent.top
        anchors.bottom: composer.top
        anchors.left: parent.left
        anchors.right: parent.right
        clip: true
        contentHeight: column.implicitHeight + 32
        ScrollBar.vertical: ScrollBar {}

        ColumnLayout {
            id: column
            y: 16
            width: Math.min(flick.width - 32, 640)
            x: (flick.width - width) / 2
            spacing: 4

            PostDelegate {
                visible: page.hasPost
                Layout.fillWidth: true
                Layout.bottomMargin: 12
                showsThread: true
                maxPhotoHeight: Math.max(240, flick.height * 0.5)
                postId: page.post.postId ?? ""
                authorName: page.post.authorName ?? ""
                authorHandle: page.post.authorHandle ?? ""
                avatarUrl: page.post.avatarUrl ?? ""
                createdAt: page.post.createdAt ?? ""
                caption: page.post.caption ?? ""
                media: page.post.media ?? []
                likes: page.post.likes ?? 0
                comments: page.post.comments ?? 0
                likedByMe: page.post.likedByMe ?? false
                pending: page.post.pending ?? false
                pendingLike: page.post.pendingLike ?? false
                isMine: page.post.isMine ?? false
                visibility: page.post.visibility ?? ""
                onHashtagClicked: tag => page.hashtagClicked(tag)
                onDeleted: page.close()
            }
            Repeater {
                model: page.thread
                CommentDelegate {
                    required property var model
                    Layout.fillWidth: true
                    postId: model.postId
                    authorName: model.authorName
                    authorHandle: model.authorHandle
                    createdAt: model.createdAt
                    caption: model.caption
                    pending: model.pending
                    isMine: model.isMine
                    onHashtagClicked: tag => page.hashtagClicked(tag)
                }
            }
            Label {
                Layout.fillWidth: true
                Layout.topMargin: 12
                visible: page.hasPost && page.thread.count === 0 && !page.thread.loading
                horizontalAlignment: Text.AlignHCenter
                opacity: 0.7
                text: qsTr("No comments yet.")
            }
        }
    }

    Label {
        anchors.centerIn: parent
        visible: page.thread.gone
        font.pixelSize: 18
        text: qsTr("This post was deleted.")
    }
    Label {
        objectName: "postError"
        anchors.centerIn: parent
        width: Math.min(parent.width - 64, 420)
        visible: !page.hasPost && !page.thread.gone && page.thread.error.length > 0
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        text: page.thread.error
    }

    Pane {
        id: composer
        anchors.bottom: parent.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        visible: !page.thread.gone
        Material.elevation: 2
        RowLayout {
            anchors.fill: parent
            TextField {
                id: commentField
                objectName: "commentField"
                Layout.fillWidth: true
                enabled: page.hasPost && !page.post.pending
                placeholderText: page.post.pending ? qsTr("Comments open once the post is sent")
                                                   : qsTr("Write a comment…")
                onAccepted: send.clicked()
            }
            Button {
                id: send
                objectName: "sendCommentButton"
                text: qsTr("Send")
                highlighted: true
                enabled: commentField.text.trim().length > 0 && commentField.enabled
                onClicked: {
                    if (App.social.comment(page.postId, commentField.text))
                        commentField.text = ""
                }
            }
        }
    }
}
