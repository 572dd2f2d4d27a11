import ContainerRuntime
import Foundation
import PodAPI
import StateStore

/// containerd's answer when a container's or sandbox's name (`<name>_<pod>_<namespace>_<uid>_<attempt>`)
/// is still taken: `failed to reserve container name "...": name "..." is reserved for "<id>"`
/// (`sandbox name` for sandboxes).
enum ReservedName {
    /// The ID of the container or sandbox holding the name, nil for any other error.
    static func holder(in error: RuntimeError) -> String? {
        guard case .failed(_, let detail) = error,
            detail.contains("failed to reserve container name") || detail.contains("failed to reserve sandbox name"),
            let r = detail.range(of: "is reserved for \"", options: .backwards)
        else { return nil }
        let rest = detail[r.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        let id = String(rest[..<end])
        return id.isEmpty ? nil : id
    }
}
