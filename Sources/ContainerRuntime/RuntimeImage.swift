/// An image on the node (CRI `Image`).
public struct RuntimeImage: Sendable, Hashable, Codable {
    /// The image config digest, `sha256:...`.
    public var id: String
    public var repoTags: [String]
    /// `repo@sha256:...` references.
    public var repoDigests: [String]
    /// Bytes.
    public var size: UInt64
    public init(id: String, repoTags: [String], repoDigests: [String], size: UInt64) {
        self.id = id
        self.repoTags = repoTags
        self.repoDigests = repoDigests
        self.size = size
    }
}
