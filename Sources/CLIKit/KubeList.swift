import Foundation
import PodAPI
import Yams

/// What `kubectl get pods -o json|yaml` prints for several objects: a `v1` `List`.
public struct KubeList<Item: Codable & Sendable>: Codable, Sendable {
    /// `{"resourceVersion": ""}`, as kubectl prints it.
    public struct Metadata: Codable, Sendable {
        public var resourceVersion: String = ""
    }
    public var apiVersion: String = "v1"
    /// The objects, in the order given.
    public var items: [Item]
    public var kind: String = "List"
    public var metadata = Metadata()

    public init(items: [Item]) { self.items = items }
}
