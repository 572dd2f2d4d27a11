import Foundation

/// A core/v1 Pod: what a manifest declares (`metadata`, `spec`) and what the agent observes
/// (`status`). JSON names are the Kubernetes API's.
///
/// A value type whose fields live in one copy-on-write box: a `Pod` is 8 bytes wherever it is
/// stored, instead of the 520 its fields take inline. The agent keeps a pod in several tables
/// (the manifests, the known pods, the decoded specs, the statuses), each a `Dictionary` whose
/// buckets hold the value inline and number up to twice the pods; unboxed, the empty buckets
/// alone took about 0.5 MB per table at 1,000 pods, and every copy of a pod copied 520 bytes.
/// Copies share the box until one of them is changed (as `Array` does).
public struct Pod: Codable, Hashable, Sendable, CustomReflectable {
    private final class Box: @unchecked Sendable {
        var apiVersion: String
        var kind: String
        var metadata: ObjectMeta
        var spec: PodSpec
        var status: PodStatus?

        init(apiVersion: String, kind: String, metadata: ObjectMeta, spec: PodSpec, status: PodStatus?) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.metadata = metadata
            self.spec = spec
            self.status = status
        }

        func copy() -> Box { Box(apiVersion: apiVersion, kind: kind, metadata: metadata, spec: spec, status: status) }
    }

    private var box: Box

    /// The box, copied first when another `Pod` shares it (copy on write).
    private var uniqueBox: Box {
        mutating get {
            if !isKnownUniquelyReferenced(&box) { box = box.copy() }
            return box
        }
    }

    public var apiVersion: String {
        _read { yield box.apiVersion }
        _modify { yield &uniqueBox.apiVersion }
    }

    public var kind: String {
        _read { yield box.kind }
        _modify { yield &uniqueBox.kind }
    }

    public var metadata: ObjectMeta {
        _read { yield box.metadata }
        _modify { yield &uniqueBox.metadata }
    }

    public var spec: PodSpec {
        _read { yield box.spec }
        _modify { yield &uniqueBox.spec }
    }

    public var status: PodStatus? {
        _read { yield box.status }
        _modify { yield &uniqueBox.status }
    }

    public init(apiVersion: String = "v1", kind: String = "Pod", metadata: ObjectMeta, spec: PodSpec, status: PodStatus? = nil) {
        box = Box(apiVersion: apiVersion, kind: kind, metadata: metadata, spec: spec, status: status)
    }

    /// `namespace/name`, the pod's identity on this node.
    public var key: String { "\(metadata.namespace ?? "default")/\(metadata.name ?? "")" }

    // MARK: Codable, Hashable: the five fields, as the synthesized conformances of the unboxed struct

    private enum CodingKeys: String, CodingKey {
        case apiVersion, kind, metadata, spec, status
    }

    /// - Throws: `DecodingError` for a missing `apiVersion`, `kind`, `metadata` or `spec`, or a
    ///   field of the wrong shape.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            apiVersion: try c.decode(String.self, forKey: .apiVersion), kind: try c.decode(String.self, forKey: .kind),
            metadata: try c.decode(ObjectMeta.self, forKey: .metadata), spec: try c.decode(PodSpec.self, forKey: .spec),
            status: try c.decodeIfPresent(PodStatus.self, forKey: .status))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(apiVersion, forKey: .apiVersion)
        try c.encode(kind, forKey: .kind)
        try c.encode(metadata, forKey: .metadata)
        try c.encode(spec, forKey: .spec)
        try c.encodeIfPresent(status, forKey: .status)
    }

    public static func == (a: Pod, b: Pod) -> Bool {
        if a.box === b.box { return true }
        return a.apiVersion == b.apiVersion && a.kind == b.kind && a.metadata == b.metadata && a.spec == b.spec
            && a.status == b.status
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(apiVersion)
        hasher.combine(kind)
        hasher.combine(metadata)
        hasher.combine(spec)
        hasher.combine(status)
    }

    /// The five fields, as the unboxed struct showed them (`dump`, `String(reflecting:)`, test
    /// failure messages), not the box.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: ["apiVersion": apiVersion, "kind": kind, "metadata": metadata, "spec": spec, "status": status as Any],
            displayStyle: .struct)
    }
}
