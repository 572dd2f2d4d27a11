import CloneSetAPI
import KubeAPI
import PodAPI

/// The version each kind is stored in (kube-apiserver's storage version) and the conversion of
/// a request's version to it and back. CloneSets are stored as `apps.kruise.io/v1beta1` and
/// served as either version (``CloneSetConversion``); every other kind has one version.
enum StorageVersion {
    static func isCloneSet(_ r: APIResource) -> Bool { r.group == "apps.kruise.io" && r.kind == "CloneSet" }

    /// `object`, addressed to `r`'s version, in the storage version.
    static func toStorage(_ object: JSONValue, _ r: APIResource) -> JSONValue {
        guard isCloneSet(r) else { return object }
        var o = object
        o.set("apiVersion", .string(r.apiVersion))
        return (try? CloneSetConversion.convert(o, to: RolloutSpecReader.v1beta1)) ?? o
    }

    /// A stored object in `r`'s version.
    static func fromStorage(_ object: JSONValue, _ r: APIResource) -> JSONValue {
        guard isCloneSet(r), object["apiVersion"]?.stringValue != r.apiVersion else { return object }
        var o = object
        if o["apiVersion"] == nil { o.set("apiVersion", .string(RolloutSpecReader.v1beta1)) }
        return (try? CloneSetConversion.convert(o, to: r.apiVersion)) ?? o
    }
}
