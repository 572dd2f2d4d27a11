/// A container's `imagePullPolicy` (core/v1 PullPolicy).
public enum PullPolicy: String, Sendable, Hashable, CaseIterable {
    case always = "Always"
    case ifNotPresent = "IfNotPresent"
    case never = "Never"
}
