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
    readonly property ThreadModel thread: App.social.openThread(postId)
    signal hashtagClicked(string hashtag)

    function close() {
        if (page.StackView.view)
            page.StackView.view.pop()
    }

    ListView {
        id: list
        objectName: "commentList"
        anchors.top: parent.top
        anchors.bottom: composer.top
        anchors.left: parent.left
        anchors.right: parent.right
        clip: true
        model: page.thread
        ScrollBar.vertical: ScrollBar {}
        header: Item {
            width: list.width
            height: page.thread.post.postId !== undefined ? post.implicitHeight + 32 : 0
            PostDelegate {
                id: post
                visible: page.thread.post.postId !== undefined
                y: 16
                width: Math.min(parent.width - 32, 640)
                anchors.horizontalCenter: parent.horizontalCenter
                showsThread: true
                postId: page.thread.post.postId ?? ""
                authorName: page.thread.post.authorName ?? ""
                authorHandle: page.thread.post.authorHandle ?? ""
                avatarUrl: page.thread.post.avatarUrl ?? ""
                createdAt: page.thread.post.createdAt ?? ""
                caption: page.thread.post.caption ?? ""
                media: page.thread.post.media ?? []
                likes: page.thread.post.likes ?? 0
                comments: page.thread.post.comments ?? 0
                likedByMe: page.thread.post.likedByMe ?? false
                pending: page.thread.post.pending ?? false
                pendingLike: page.thread.post.pendingLike ?? false
                isMine: page.thread.post.isMine ?? false
                visibility: page.thread.post.visibility ?? ""
                onHashtagClicked: tag => page.hashtagClicked(tag)
                onDeleted: page.close()
            }
        }
        delegate: Item {
            id: slot
            required property var model
            width: list.width
            height: comment.implicitHeight
            CommentDelegate {
                id: comment
                width: Math.min(slot.width - 32, 640)
                anchors.horizontalCenter: parent.horizontalCenter
                postId: slot.model.postId
                authorName: slot.model.authorName
                authorHandle: slot.model.authorHandle
                createdAt: slot.model.createdAt
                caption: slot.model.caption
                pending: slot.model.pending
                isMine: slot.model.isMine
                onHashtagClicked: tag => page.hashtagClicked(tag)
            }
        }
        footer: Label {
            width: list.width
            visible: list.count === 0 && !page.thread.gone && !page.thread.loading
            height: visible ? implicitHeight + 24 : 0
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
            opacity: 0.7
            text: qsTr("No comments yet.")
        }
    }

    Label {
        anchors.centerIn: parent
        visible: page.thread.gone
        font.pixelSize: 18
        text: qsTr("This post was deleted.")
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
                enabled: !(page.thread.post.pending ?? true)
                placeholderText: (page.thread.post.pending ?? false) ? qsTr("Comments open once the post is sent")
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
