import APIRegistry
import KubeAPI
import PodAPI

/// The `scale` subresource of CloneSets, as kruise's CRD declares it (specReplicasPath
/// `.spec.replicas`, statusReplicasPath `.status.replicas`, labelSelectorPath
/// `.status.labelSelector`): an `autoscaling/v1` `Scale`, read and written by `kubectl scale`
/// and the HorizontalPodAutoscaler.
enum ScaleSubresource {
    /// The Scale of `object`.
    static func scale(of object: JSONValue) -> JSONValue {
        let meta = object["metadata"] ?? .null
        var scaleMeta: JSONValue = [:]
        for key in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] { scaleMeta.set(key, meta[key]) }
        var status: JSONValue = ["replicas": .integer(object["status"]?.integer("replicas") ?? 0)]
        if let selector = object["status"]?.string("labelSelector") { status.set("selector", .string(selector)) }
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": scaleMeta,
            "spec": ["replicas": .integer(object["spec"]?.integer("replicas") ?? 0)], "status": status,
        ]
    }

    /// GET, PUT or PATCH of `.../clonesets/{name}/scale`; a write changes only `spec.replicas`
    /// (with the Scale's resourceVersion as precondition, when it has one).
    /// - Throws: `APIError` (422 naming `spec.replicas` when it is missing or negative).
    static func handle(
        verb: String, registry: ObjectRegistry, _ r: APIResource, namespace: String?, name: String, body: JSONValue?, patchType: PatchType?
    ) async throws(APIError) -> JSONValue {
        let current = try await registry.get(r, namespace: namespace, name: name)
        guard verb == "update" || verb == "patch", let body else { return scale(of: current) }
        let written: JSONValue
        switch patchType {
        case nil: written = body
        case .jsonMerge?, .strategicMerge?: written = JSONMergePatch.apply(body, to: scale(of: current))
        }
        if let raw = written["spec"]?["replicas"], raw.integerValue == nil {
            throw .badRequest(
                "Scale in version \"v1\" cannot be handled as a Scale: spec.replicas: expected an int32, got \(raw.jsonText())")
        }
        if let name = written["metadata"]?.string("name"), name != current["metadata"]?.string("name") {
            throw .badRequest(
                "the name of the object (\(name)) does not match the name on the URL (\(current["metadata"]?.string("name") ?? ""))")
        }
        guard let replicas = written["spec"]?.integer("replicas"), replicas >= 0, replicas <= Int64(Int32.max) else {
            throw .invalid(
                r, name,
                [.init(reason: "FieldValueInvalid", message: "Invalid value: must be between 0 and 2147483647", field: "spec.replicas")]
            )
        }
        var patch: JSONValue = ["spec": ["replicas": .integer(replicas)]]
        if let rv = written["metadata"]?.string("resourceVersion"), !rv.isEmpty { patch.set("metadata", ["resourceVersion": .string(rv)]) }
        let updated = try await registry.patch(r, namespace: namespace, name: name, type: .jsonMerge, patch)
        return scale(of: updated)
    }
}
