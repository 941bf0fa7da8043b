// A comment on a post's page: author, time (or "waiting to be sent"), the text with clickable
// hashtags, and for the user's own comment a delete button.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole.Core

ItemDelegate {
    id: comment

    required property string postId
    required property string authorName
    required property string authorHandle
    required property string createdAt
    required property string caption
    required property bool pending
    required property bool isMine
    signal hashtagClicked(string hashtag)

    hoverEnabled: true
    contentItem: RowLayout {
        spacing: 10
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Label {
                Layout.fillWidth: true
                text: "<b>" + comment.authorName.replace(/&/g, "&amp;").replace(/</g, "&lt;") + "</b>  "
                      + (comment.pending ? qsTr("waiting to be sent")
                                         : comment.authorHandle + (comment.createdAt.length > 0 ? " · " + comment.createdAt : ""))
                textFormat: Text.StyledText
                font.pixelSize: 13
                elide: Text.ElideRight
                opacity: 0.85
            }
            Label {
                objectName: "commentText"
                Layout.fillWidth: true
                text: comment.caption
                textFormat: Text.StyledText
                wrapMode: Text.Wrap
                linkColor: comment.Material.accentColor
                onLinkActivated: link => {
                    const tag = App.feed.hashtagOfLink(link)
                    if (tag.length > 0)
                        comment.hashtagClicked(tag)
                }
            }
        }
        ToolButton {
            objectName: "deleteCommentButton"
            visible: comment.isMine
            text: qsTr("Delete")
            onClicked: App.social.deleteComment(comment.postId)
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Delete comment")
        }
    }
}
