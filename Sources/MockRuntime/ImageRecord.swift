import ContainerRuntime

/// An image on the node (and persisted).
struct ImageRecord: Sendable, Codable, Hashable {
    /// Config digest, `sha256:...`.
    var id: String
    var seq: Int
    /// Normalized `repo:tag` references, sorted as containerd's image store sorts them.
    var repoTags: [String]
    /// `repo@sha256:...` references, sorted likewise.
    var repoDigests: [String]
    var size: UInt64

    var image: RuntimeImage { RuntimeImage(id: id, repoTags: repoTags, repoDigests: repoDigests, size: size) }
}
