import KubeAPI
import PodAPI

/// The query of a list or watch: selectors and the resourceVersion to start from.
public struct ListOptions: Sendable {
    public var labelSelector: LabelSelector?
    public var fieldSelector: FieldSelector?
    /// nil or 0: from now (a watch first sends every current object as ADDED).
    public var resourceVersion: Int64?

    public init(labelSelector: LabelSelector? = nil, fieldSelector: FieldSelector? = nil, resourceVersion: Int64? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
    }

    /// Whether `object` is selected.
    public func matches(_ object: JSONValue) -> Bool {
        if let labelSelector {
            let labels = object["metadata"]?["labels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
            if !labelSelector.matches(labels) { return false }
        }
        if let fieldSelector, !fieldSelector.matches(object) { return false }
        return true
    }
}
