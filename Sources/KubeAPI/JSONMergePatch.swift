import PodAPI

/// RFC 7386 JSON merge patch (`application/merge-patch+json`): objects merge, `null` removes,
/// everything else (lists included) replaces. A list of pod conditions sent this way replaces the
/// list whole, so a condition another writer set is lost (bug case B9); the agent therefore sends
/// strategic merge patches.
public enum JSONMergePatch {
    /// Applies `patch` to `original`.
    public static func apply(_ patch: JSONValue, to original: JSONValue) -> JSONValue {
        guard case .object(let patchObject) = patch else { return patch }
        var result: [String: JSONValue]
        if case .object(let o) = original { result = o } else { result = [:] }
        for (key, value) in patchObject {
            if value == .null {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }
}
