import PodAPI

/// Converts a CloneSet between `apps.kruise.io/v1alpha1` and `v1beta1`, as the API serves either
/// version of one stored object (Kruise 2.0's conversion):
/// - v1alpha1's flat `updateStrategy` (`type` = the pod update policy, or `OnDelete`) becomes
///   v1beta1's `type: RollingUpdate` (or `OnDelete`) with the rest under `rollingUpdate` and the
///   policy in `rollingUpdate.podUpdatePolicy`, and back;
/// - `scaleStrategy.disablePVCReuse` (v1alpha1) becomes `enablePVCReuse` (v1beta1) negated;
/// - everything else is the same in both.
/// Converting to the object's own version returns it unchanged.
public enum CloneSetConversion {
    /// The update strategy fields that live under v1beta1's `rollingUpdate`.
    static let rollingFields = [
        "partition", "maxUnavailable", "maxSurge", "paused", "priorityStrategy", "scatterStrategy", "inPlaceUpdateStrategy",
    ]

    /// - Throws: `ConversionError` for another group or version.
    public static func convert(_ object: JSONValue, to version: String) throws(ConversionError) -> JSONValue {
        let from = object["apiVersion"]?.stringValue ?? ""
        let known = [RolloutSpecReader.v1alpha1, RolloutSpecReader.v1beta1]
        guard known.contains(from) else { throw ConversionError(message: "cannot convert a CloneSet of apiVersion \"\(from)\"") }
        guard known.contains(version) else { throw ConversionError(message: "no CloneSet in apiVersion \"\(version)\"") }
        if from == version { return object }
        var out = object
        out.set("apiVersion", .string(version))
        var spec = object["spec"] ?? .object([:])
        let strategy = spec["updateStrategy"] ?? .object([:])
        var scale = spec["scaleStrategy"]
        if version == RolloutSpecReader.v1beta1 {
            var rolling: [String: JSONValue] = [:]
            for key in rollingFields { if let v = strategy[key] { rolling[key] = v } }
            let type = strategy["type"]?.stringValue
            var converted: [String: JSONValue] = [:]
            if type == "OnDelete" {
                converted["type"] = "OnDelete"
            } else {
                converted["type"] = "RollingUpdate"
                if let type { rolling["podUpdatePolicy"] = .string(type) }
            }
            if !rolling.isEmpty { converted["rollingUpdate"] = .object(rolling) }
            spec.set("updateStrategy", .object(converted))
            if var s = scale, let disable = s["disablePVCReuse"] {
                s.set("disablePVCReuse", nil)
                if case .bool(let d) = disable { s.set("enablePVCReuse", .bool(!d)) }
                scale = s
            }
        } else {
            let rolling = strategy["rollingUpdate"] ?? .object([:])
            var converted: [String: JSONValue] = [:]
            for key in rollingFields { if let v = rolling[key] { converted[key] = v } }
            if strategy["type"]?.stringValue == "OnDelete" {
                converted["type"] = "OnDelete"
            } else if let policy = rolling["podUpdatePolicy"] {
                converted["type"] = policy
            }
            spec.set("updateStrategy", .object(converted))
            if var s = scale, let enable = s["enablePVCReuse"] {
                s.set("enablePVCReuse", nil)
                if case .bool(let e) = enable { s.set("disablePVCReuse", .bool(!e)) }
                scale = s
            }
        }
        if let scale { spec.set("scaleStrategy", scale) }
        out.set("spec", spec)
        return out
    }
}

/// A CloneSet that cannot be converted.
public struct ConversionError: Error, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
