import Foundation

/// A core/v1 ObjectMeta, with the fields a node agent reads or writes.
public struct ObjectMeta: Codable, Hashable, Sendable {
    public var name: String?
    public var generateName: String?
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    public var generation: Int64?
    public var creationTimestamp: Time?
    public var deletionTimestamp: Time?
    public var deletionGracePeriodSeconds: Int64?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var ownerReferences: JSONValue?
    public var finalizers: [String]?
    public var managedFields: JSONValue?

    public init(
        name: String? = nil, namespace: String? = nil, uid: String? = nil,
        labels: [String: String]? = nil, annotations: [String: String]? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.labels = labels
        self.annotations = annotations
    }
}
