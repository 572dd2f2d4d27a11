import Foundation

/// A core/v1 ObjectReference; `fieldPath` is e.g. `spec.containers{app}` for a container event.
public struct ObjectReference: Codable, Hashable, Sendable {
    public var kind: String?
    public var namespace: String?
    public var name: String?
    public var uid: String?
    public var apiVersion: String?
    public var fieldPath: String?

    public init(
        kind: String? = "Pod", namespace: String?, name: String?, uid: String?, apiVersion: String? = "v1", fieldPath: String? = nil
    ) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.apiVersion = apiVersion
        self.fieldPath = fieldPath
    }
}
