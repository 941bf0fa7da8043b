// A post in a page's list (the feed, a hashtag's page): PostDelegate, at most 640 px wide and
// centred, bound to the list model's row (PostListModel's roles).
pragma ComponentBehavior: Bound
import QtQuick
import Pinhole

Item {
    id: slot
    required property var model
    signal openPost(string postId)
    signal hashtagClicked(string hashtag)

    height: delegate.implicitHeight
    PostDelegate {
        id: delegate
        width: Math.min(slot.width - 32, 640)
        anchors.horizontalCenter: parent.horizontalCenter
        postId: slot.model.postId
        authorName: slot.model.authorName
        authorHandle: slot.model.authorHandle
        avatarUrl: slot.model.avatarUrl
        createdAt: slot.model.createdAt
        caption: slot.model.caption
        media: slot.model.media
        likes: slot.model.likes
        comments: slot.model.comments
        likedByMe: slot.model.likedByMe
        pending: slot.model.pending
        pendingLike: slot.model.pendingLike
        isMine: slot.model.isMine
        visibility: slot.model.visibility
        onOpenPost: postId => slot.openPost(postId)
        onHashtagClicked: tag => slot.hashtagClicked(tag)
    }
}
