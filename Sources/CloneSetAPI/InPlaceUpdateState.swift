import Foundation

/// The `apps.kruise.io/inplace-update-state` annotation, in kruise's JSON keys: the revision
/// being moved to, when, and each changed container's old imageID. This project also records the
/// old containerID (`containerID`, a key kruise's reader ignores), so a new image with the same
/// imageID (a tag bump to the same digest, B4/B5) still completes: a new container proves it.
public struct InPlaceUpdateState: Codable, Sendable, Hashable {
    public struct LastContainerStatus: Codable, Sendable, Hashable {
        public var imageID: String
        public var containerID: String?

        public init(imageID: String, containerID: String? = nil) {
            self.imageID = imageID
            self.containerID = containerID
        }
    }

    public static let annotation = "apps.kruise.io/inplace-update-state"

    public var revision: String
    /// RFC 3339, when the update started.
    public var updateTimestamp: String
    public var lastContainerStatuses: [String: LastContainerStatus]
    public var updateImages: Bool?

    public init(revision: String, updateTimestamp: String, lastContainerStatuses: [String: LastContainerStatus], updateImages: Bool? = true)
    {
        self.revision = revision
        self.updateTimestamp = updateTimestamp
        self.lastContainerStatuses = lastContainerStatuses
        self.updateImages = updateImages
    }

    /// The annotation's value (sorted keys, as stable text).
    public func annotationValue() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Reads an annotation value; nil when it is not kruise's JSON.
    public static func parse(_ text: String) -> InPlaceUpdateState? {
        try? JSONDecoder().decode(InPlaceUpdateState.self, from: Data(text.utf8))
    }
}
