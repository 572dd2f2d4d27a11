import PodAPI

/// Whether a pod's in-place update is done, judged from a pod object read after the image patch
/// (the caller checks the object's resourceVersion is newer than the patch's: an older object is
/// never judged). kruise's rule compares imageIDs only and waits forever when a new tag has the
/// same digest (B4, B5); here each changed container is done when:
/// - its status image names the spec image (short and fully qualified names are the same image:
///   `nginx:1.25` is `docker.io/library/nginx:1.25`), and
/// - its imageID changed, or its containerID did (a new container of an image with the same
///   digest), and it is running.
public enum InPlaceCompletion {
    public enum Verdict: Sendable, Hashable {
        case done
        /// Not yet, and why (for the pod's event and `describe`).
        case waiting(String)
    }

    /// - Parameters:
    ///   - specImages: the pod spec's image per container name.
    ///   - statuses: `status.containerStatuses` of the pod object.
    public static func check(state: InPlaceUpdateState, specImages: [String: String], statuses: [JSONValue]) -> Verdict {
        for name in state.lastContainerStatuses.keys.sorted() {
            guard let last = state.lastContainerStatuses[name] else { continue }
            guard let status = statuses.first(where: { $0["name"]?.stringValue == name }) else {
                return .waiting("not found statuses of containers [\(name)]")
            }
            let image = status["image"]?.stringValue ?? ""
            if let want = specImages[name], !sameImage(image, want) {
                return .waiting("container \(name) runs \(image), not \(want) yet")
            }
            let imageID = status["imageID"]?.stringValue ?? ""
            let containerID = status["containerID"]?.stringValue
            let newContainer = last.containerID != nil && containerID != nil && containerID != last.containerID
            if imageID == last.imageID && !newContainer {
                return .waiting("container \(name) imageID not changed")
            }
            if status["state"]?["running"] == nil {
                return .waiting("container \(name) is not running")
            }
        }
        return .done
    }

    /// Two image references name the same image: equal when normalized as kubelet does.
    public static func sameImage(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let x = try? ImageReference.parse(a), let y = try? ImageReference.parse(b) else { return false }
        return x.normalized == y.normalized
    }
}
