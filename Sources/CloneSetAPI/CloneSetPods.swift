import PodAPI

/// The pods and revisions a CloneSet makes, named and labelled as OpenKruise names them, so
/// selectors, dashboards and `kubectl get pods -l` written for kruise just work:
/// - a revision is `<set>-<hash>` (a ControllerRevision), its pods carry
///   `controller-revision-hash: <set>-<hash>` and `pod-template-hash: <hash>`;
/// - a pod is `<set>-<5 characters>` with label `apps.kruise.io/cloneset-instance-id` (the same
///   5 characters) and a controller owner reference to the set;
/// - with an in-place policy the pod gets the `InPlaceUpdateReady` readiness gate, as kruise's
///   pod webhook injects it.
///
/// The hash is this project's own (FNV-1a 32 of the template's canonical JSON and the collision
/// count, in Kubernetes' safe-encoding alphabet): kruise's hashes Go's encoding of its types and
/// cannot be reproduced byte for byte; it changes exactly when the template does.
public enum CloneSetPods {
    public static let revisionLabel = "controller-revision-hash"
    public static let templateHashLabel = "pod-template-hash"
    public static let instanceIDLabel = "apps.kruise.io/cloneset-instance-id"
    /// Kubernetes' `rand.SafeEncodeString` alphabet (no vowels, no confusable characters).
    static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    /// The template's hash and the revision name `<set>-<hash>`.
    public static func revision(setName: String, template: JSONValue, collisionCount: Int = 0) -> (name: String, hash: String) {
        var hash: UInt32 = 2_166_136_261
        for byte in template.jsonBytes() + Array("/\(collisionCount)".utf8) {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let encoded = String(String(hash).utf8.map { alphabet[Int($0) % alphabet.count] })
        return ("\(setName)-\(encoded)", encoded)
    }

    /// `length` random characters of the safe alphabet (a pod's instance id).
    public static func randomID<G: RandomNumberGenerator>(length: Int = 5, using generator: inout G) -> String {
        String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// A new pod of `set` (a v1beta1 object with metadata.uid) at revision `revision`
    /// (`<set>-<hash>`, `hash`), instance `id`.
    public static func newPod(set: JSONValue, revision: (name: String, hash: String), id: String, policy: RolloutSpec.PodUpdatePolicy)
        -> JSONValue
    {
        let setName = set["metadata"]?.string("name") ?? ""
        let template = set["spec"]?["template"] ?? .object([:])
        var pod: JSONValue = ["apiVersion": "v1", "kind": "Pod"]
        var meta = template["metadata"] ?? .object([:])
        var labels = meta["labels"]?.objectValue ?? [:]
        labels[revisionLabel] = .string(revision.name)
        labels[templateHashLabel] = .string(revision.hash)
        labels[instanceIDLabel] = .string(id)
        meta.set("labels", .object(labels))
        meta.set("name", .string("\(setName)-\(id)"))
        if let ns = set["metadata"]?.string("namespace") { meta.set("namespace", .string(ns)) }
        meta.set("ownerReferences", [ownerReference(set)])
        pod.set("metadata", meta)
        var spec = template["spec"] ?? .object([:])
        if policy != .reCreate {
            var gates = spec["readinessGates"]?.arrayValue ?? []
            if !gates.contains(where: { $0.string("conditionType") == "InPlaceUpdateReady" }) {
                gates.append(["conditionType": "InPlaceUpdateReady"])
            }
            spec.set("readinessGates", .array(gates))
        }
        pod.set("spec", spec)
        return pod
    }

    /// The ControllerRevision object of a revision (`apps/v1`), its data the template as kruise
    /// stores it (`{"spec":{"template":{...,"$patch":"replace"}}}`).
    public static func controllerRevision(set: JSONValue, revision: (name: String, hash: String), number: Int) -> JSONValue {
        var template = set["spec"]?["template"] ?? .object([:])
        template.set("$patch", "replace")
        var labels = set["spec"]?["selector"]?["matchLabels"]?.objectValue ?? [:]
        labels[revisionLabel] = .string(revision.hash)
        return [
            "apiVersion": "apps/v1", "kind": "ControllerRevision",
            "metadata": [
                "name": .string(revision.name), "namespace": .string(set["metadata"]?.string("namespace") ?? "default"),
                "labels": .object(labels),
                "ownerReferences": [ownerReference(set)],
            ],
            "data": ["spec": ["template": template]], "revision": .integer(Int64(number)),
        ]
    }

    /// The controller owner reference to `set` that its pods and revisions carry.
    static func ownerReference(_ set: JSONValue) -> JSONValue {
        [
            "apiVersion": .string(set.string("apiVersion") ?? "apps.kruise.io/v1beta1"), "kind": "CloneSet",
            "name": .string(set["metadata"]?.string("name") ?? ""), "uid": .string(set["metadata"]?.string("uid") ?? ""),
            "controller": true, "blockOwnerDeletion": true,
        ]
    }
}
