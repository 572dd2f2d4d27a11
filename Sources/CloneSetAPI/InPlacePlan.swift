import PodAPI

/// Whether a template change can be done in place, as kruise's `defaultCalculateInPlaceUpdateSpec`
/// decides: only container images may change in the pod spec (same containers, same order,
/// same names); labels and annotations may change too (patched onto the pod). Anything else
/// needs a new pod (ReCreate, or InPlaceIfPossible's fallback) or is refused (InPlaceOnly).
public enum InPlacePlan: Sendable, Hashable {
    /// The images to set, by container name (only those that change), and the metadata to patch.
    case inPlace(images: [String: String], labels: [String: String], annotations: [String: String])
    /// Not in place: the first difference that prevents it, as a JSON-patch-like path
    /// (`/spec/containers/0/env`), for kruise's InPlaceOnly message.
    case recreate(firstDifference: String)

    /// The plan from the old template to the new one (`spec.template` objects).
    public static func plan(old: JSONValue, new: JSONValue) -> InPlacePlan {
        var oldSpec = old["spec"] ?? .object([:])
        var newSpec = new["spec"] ?? .object([:])
        let oldContainers = oldSpec["containers"]?.arrayValue ?? []
        let newContainers = newSpec["containers"]?.arrayValue ?? []
        guard oldContainers.count == newContainers.count else { return .recreate(firstDifference: "/spec/containers") }
        var images: [String: String] = [:]
        var strippedOld: [JSONValue] = []
        var strippedNew: [JSONValue] = []
        for (i, (a, b)) in zip(oldContainers, newContainers).enumerated() {
            guard a["name"] == b["name"] else { return .recreate(firstDifference: "/spec/containers/\(i)/name") }
            if a["image"] != b["image"], let name = b["name"]?.stringValue, let image = b["image"]?.stringValue {
                images[name] = image
            }
            var x = a
            var y = b
            x.set("image", nil)
            y.set("image", nil)
            if x != y { return .recreate(firstDifference: "/spec/containers/\(i)/\(firstKey(x, y))") }
            strippedOld.append(x)
            strippedNew.append(y)
        }
        oldSpec.set("containers", .array(strippedOld))
        newSpec.set("containers", .array(strippedNew))
        if oldSpec != newSpec { return .recreate(firstDifference: "/spec/\(firstKey(oldSpec, newSpec))") }
        let labels = changed(old["metadata"]?["labels"], new["metadata"]?["labels"])
        let annotations = changed(old["metadata"]?["annotations"], new["metadata"]?["annotations"])
        return .inPlace(images: images, labels: labels, annotations: annotations)
    }

    /// The first key (sorted) whose values differ.
    static func firstKey(_ a: JSONValue, _ b: JSONValue) -> String {
        let x = a.objectValue ?? [:]
        let y = b.objectValue ?? [:]
        return Set(x.keys).union(y.keys).sorted().first { x[$0] != y[$0] } ?? ""
    }

    static func changed(_ a: JSONValue?, _ b: JSONValue?) -> [String: String] {
        let x = a?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        let y = b?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        return y.filter { x[$0.key] != $0.value }
    }

    /// kruise's refusal of a change InPlaceOnly cannot make.
    public static func inPlaceOnlyMessage(pod: String) -> String {
        "find Pod \(pod) update strategy is InPlaceOnly but can not update in-place"
    }
}
