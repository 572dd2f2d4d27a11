import Foundation

/// How an update of a pod's manifest can be carried out, as the agent decides it from
/// `PodUpdateValidation` (docs/design.md, "Identity and change").
public struct PodUpdateClassification: Hashable, Sendable {
    /// The kind of change.
    public enum Kind: String, Hashable, Sendable {
        /// Nothing differs.
        case unchanged
        /// Only metadata the API lets change (labels, annotations, ...) differs; the spec is equal.
        case metadataOnly
        /// Only in-place-able spec fields differ (images, activeDeadlineSeconds, added tolerations,
        /// removed scheduling gates, a negative grace period set to 1).
        case inPlace
        /// Something else differs: `errors` says what; the pod must be recreated (or the update
        /// refused under the `InPlaceOnly` policy).
        case recreate
    }

    public var kind: Kind
    /// Names of regular containers whose image changed, in spec order.
    public var changedImages: [String]
    /// Names of init containers whose image changed, in spec order.
    public var changedInitImages: [String]
    /// True when `spec.activeDeadlineSeconds` differs.
    public var activeDeadlineChanged: Bool
    /// True when tolerations were added.
    public var tolerationsAdded: Bool
    /// `PodUpdateValidation.validate(old:new:)`'s errors; empty unless `kind` is `recreate`.
    public var errors: [FieldError]

    /// True when the update can be applied to the running pod without recreating it.
    public var isInPlace: Bool { kind != .recreate }

    /// Classifies the update from `old` to `new` (both defaulted).
    public static func classify(old: Pod, new: Pod) -> PodUpdateClassification {
        func changed(_ o: [Container], _ n: [Container]) -> [String] {
            guard o.count == n.count else { return [] }
            return zip(o, n).filter { $0.image != $1.image }.map { $1.name }
        }
        let errors = PodUpdateValidation.validate(old: old, new: new)
        let kind: Kind
        if !errors.isEmpty {
            kind = .recreate
        } else if old.spec == new.spec {
            kind = old.metadata == new.metadata ? .unchanged : .metadataOnly
        } else {
            kind = .inPlace
        }
        return PodUpdateClassification(
            kind: kind,
            changedImages: changed(old.spec.containers, new.spec.containers),
            changedInitImages: changed(old.spec.initContainers ?? [], new.spec.initContainers ?? []),
            activeDeadlineChanged: old.spec.activeDeadlineSeconds != new.spec.activeDeadlineSeconds,
            tolerationsAdded: (new.spec.tolerations ?? []).count > (old.spec.tolerations ?? []).count,
            errors: errors)
    }
}
