import CloneSetStrategy
import PodAPI

/// Reads and validates a CloneSet object (either API version) into a ``RolloutSpec``, with the
/// errors of kruise's validating webhook in apimachinery's `field.Error` shapes: the update
/// strategy type, partition / maxUnavailable / maxSurge (int or percent; maxSurge refused with
/// InPlaceOnly; maxUnavailable and maxSurge not both below 1), the selector (required, not
/// empty, matching the template's labels), the template's restartPolicy (Always only) and
/// activeDeadlineSeconds (forbidden), duplicated podsToDelete, the priority and scatter
/// strategies. Nothing is applied when an error is returned.
public enum RolloutSpecReader {
    public static let v1alpha1 = "apps.kruise.io/v1alpha1"
    public static let v1beta1 = "apps.kruise.io/v1beta1"

    /// - Returns: the spec, or every error found (none of them throws).
    public static func read(_ object: JSONValue) -> Result<RolloutSpec, RolloutSpecErrors> {
        var errors: [FieldError] = []
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        guard apiVersion == v1alpha1 || apiVersion == v1beta1 else {
            return .failure(
                RolloutSpecErrors(errors: [.notSupported(FieldPath("apiVersion"), apiVersion, [v1alpha1, v1beta1])]))
        }
        let spec = object["spec"] ?? .object([:])
        let specPath = FieldPath("spec")
        let replicas = Int(spec["replicas"]?.integerValue ?? 1)
        if let raw = spec["replicas"], raw != .null, raw.integerValue == nil {
            // The CRD's schema: an int32 (the API server answers a string or a fraction so).
            errors.append(.invalid(specPath.child("replicas"), rendered: raw.jsonText(), "must be of type integer"))
        } else if replicas < 0 {
            errors.append(.invalid(specPath.child("replicas"), Int64(replicas), "must be greater than or equal to 0"))
        } else if replicas > Int(Int32.max) {
            errors.append(.invalid(specPath.child("replicas"), Int64(replicas), "must be less than or equal to 2147483647"))
        }

        // Selector and template labels.
        let matchLabels = spec["selector"]?["matchLabels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        let expressions = spec["selector"]?["matchExpressions"]?.arrayValue ?? []
        if spec["selector"] == nil {
            errors.append(.required(specPath.child("selector")))
        } else if matchLabels.isEmpty && expressions.isEmpty {
            errors.append(.invalid(specPath.child("selector"), rendered: "{}", "empty selector is invalid for cloneset"))
        }
        let templateLabels = spec["template"]?["metadata"]?["labels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        if !matchLabels.isEmpty, !matchLabels.allSatisfy({ templateLabels[$0.key] == $0.value }) {
            errors.append(
                .invalid(
                    specPath.child("template").child("metadata").child("labels"), rendered: render(templateLabels),
                    "`selector` does not match template `labels`"))
        }
        let podSpec = spec["template"]?["spec"]
        if let policy = podSpec?["restartPolicy"]?.stringValue, !policy.isEmpty, policy != "Always" {
            errors.append(.notSupported(specPath.child("template").child("spec").child("restartPolicy"), policy, ["Always"]))
        }
        if podSpec?["activeDeadlineSeconds"] != nil {
            errors.append(
                .forbidden(
                    specPath.child("template").child("spec").child("activeDeadlineSeconds"),
                    "activeDeadlineSeconds in cloneset is not Supported"))
        }

        // Scale strategy.
        let podsToDelete = spec["scaleStrategy"]?["podsToDelete"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let duplicated = Dictionary(grouping: podsToDelete, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        if !duplicated.isEmpty {
            errors.append(
                .invalid(
                    specPath.child("scaleStrategy").child("podsToDelete"), rendered: "[" + podsToDelete.joined(separator: " ") + "]",
                    "duplicated items [" + duplicated.joined(separator: " ") + "]"))
        }

        // Update strategy, by version.
        let strategy = spec["updateStrategy"] ?? .object([:])
        let strategyPath = specPath.child("updateStrategy")
        var policy = RolloutSpec.PodUpdatePolicy.reCreate
        var onDelete = false
        let fields: JSONValue
        let fieldsPath: FieldPath
        let policyPath: FieldPath
        let policyText: String
        if apiVersion == v1alpha1 {
            fields = strategy
            fieldsPath = strategyPath
            policyPath = strategyPath.child("type")
            policyText = strategy["type"]?.stringValue ?? "ReCreate"
            if policyText == "OnDelete" { onDelete = true }
        } else {
            let type = strategy["type"]?.stringValue ?? "RollingUpdate"
            if type == "OnDelete" {
                onDelete = true
            } else if type != "RollingUpdate" {
                errors.append(.notSupported(strategyPath.child("type"), type, ["RollingUpdate", "OnDelete"]))
            }
            fields = strategy["rollingUpdate"] ?? .object([:])
            fieldsPath = strategyPath.child("rollingUpdate")
            policyPath = fieldsPath.child("podUpdatePolicy")
            policyText = fields["podUpdatePolicy"]?.stringValue ?? "ReCreate"
        }
        if let p = RolloutSpec.PodUpdatePolicy(rawValue: policyText) {
            policy = p
        } else if !(apiVersion == v1alpha1 && onDelete) {
            // kruise's own wording, quotes and all.
            errors.append(.invalid(policyPath, policyText, "must be 'ReCreate', InPlaceIfPossible or 'InPlaceOnly'"))
        }

        func intOrPercent(_ name: String) -> IntOrPercent? {
            guard let value = fields[name] else { return nil }
            let text: String
            switch value {
            case .integer(let i): return .count(Int(i))
            case .string(let s): text = s
            default: text = value.jsonText()
            }
            do { return try IntOrPercent(parsing: text, field: name) } catch {
                errors.append(
                    .invalid(
                        fieldsPath.child(name), text,
                        "failed GetScaledValueFromIntOrPercent for \(name): invalid value for IntOrString: invalid type: string is not a percentage"
                    ))
                return nil
            }
        }
        let partition = intOrPercent("partition")
        if let partition, partition.scaled(total: replicas, roundUp: true) < 0 {
            errors.append(
                .invalid(
                    fieldsPath.child("partition"), Int64(partition.scaled(total: replicas, roundUp: true)),
                    "must be greater than or equal to 0"))
        }
        let maxUnavailable = intOrPercent("maxUnavailable") ?? UpdateBudget.defaultMaxUnavailable
        let maxSurge = intOrPercent("maxSurge")
        let surge = maxSurge?.scaled(total: replicas, roundUp: true) ?? 0
        if policy == .inPlaceOnly, surge > 0, let maxSurge {
            errors.append(
                .invalid(fieldsPath.child("maxSurge"), maxSurge.description, "can not use maxSurge with strategy type InPlaceOnly"))
        }
        if replicas > 0, maxUnavailable.scaled(total: replicas, roundUp: true) < 1, surge < 1 {
            errors.append(
                .invalid(
                    fieldsPath.child("maxUnavailable"), maxUnavailable.description,
                    "maxUnavailable and maxSurge should not both be less than 1"))
        }

        let priority = readPriority(fields["priorityStrategy"], path: fieldsPath.child("priorityStrategy"), errors: &errors)
        var scatter: [ScatterOrder.Term] = []
        for (i, term) in (fields["scatterStrategy"]?.arrayValue ?? []).enumerated() {
            let key = term["key"]?.stringValue ?? ""
            let value = term["value"]?.stringValue ?? ""
            if key.isEmpty || value.isEmpty {
                errors.append(.required(fieldsPath.child("scatterStrategy").index(i), "key and value of a scatter term must not be empty"))
            } else if scatter.contains(ScatterOrder.Term(key: key, value: value)) {
                errors.append(.duplicate(fieldsPath.child("scatterStrategy").index(i), "\(key):\(value)"))
            } else {
                scatter.append(ScatterOrder.Term(key: key, value: value))
            }
        }
        let grace = Int(fields["inPlaceUpdateStrategy"]?["gracePeriodSeconds"]?.integerValue ?? 0)
        if grace < 0 {
            errors.append(
                .invalid(
                    fieldsPath.child("inPlaceUpdateStrategy").child("gracePeriodSeconds"), Int64(grace),
                    "must be greater than or equal to 0"))
        }
        let minReady = Int(spec["minReadySeconds"]?.integerValue ?? 0)
        if let deadline = spec["progressDeadlineSeconds"]?.integerValue, deadline <= minReady {
            errors.append(
                .invalid(specPath.child("progressDeadlineSeconds"), deadline, "must be greater than minReadySeconds"))
        }
        if !errors.isEmpty { return .failure(RolloutSpecErrors(errors: errors)) }
        return .success(
            RolloutSpec(
                apiVersion: apiVersion, replicas: replicas, podUpdatePolicy: policy, onDelete: onDelete, partition: partition,
                maxUnavailable: maxUnavailable, maxSurge: maxSurge, paused: fields["paused"] == .bool(true), priority: priority,
                scatter: scatter, gracePeriodSeconds: grace, minReadySeconds: minReady, podsToDelete: podsToDelete))
    }

    static func readPriority(_ value: JSONValue?, path: FieldPath, errors: inout [FieldError]) -> PriorityStrategy? {
        guard let value else { return nil }
        let weights = value["weightPriority"]?.arrayValue ?? []
        let ordered = value["orderPriority"]?.arrayValue ?? []
        if !weights.isEmpty && !ordered.isEmpty {
            errors.append(.required(path, "only one of weightPriority or orderPriority can be set"))
            return nil
        }
        if !weights.isEmpty {
            var terms: [(weight: Int, matchLabels: [String: String])] = []
            for (i, term) in weights.enumerated() {
                let weight = Int(term["weight"]?.integerValue ?? 0)
                let labels = term["matchSelector"]?["matchLabels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
                if weight < 0 || weight > 100 {
                    errors.append(
                        .invalid(path.child("weightPriority").index(i).child("weight"), Int64(weight), "must be between 0 and 100"))
                }
                if labels.isEmpty {
                    errors.append(.required(path.child("weightPriority").index(i).child("matchSelector"), "selector can not be empty"))
                }
                terms.append((weight, labels))
            }
            return .weight(terms)
        }
        if !ordered.isEmpty {
            var keys: [String] = []
            for (i, term) in ordered.enumerated() {
                let key = term["orderedKey"]?.stringValue ?? ""
                if key.isEmpty { errors.append(.required(path.child("orderPriority").index(i).child("orderedKey"))) }
                keys.append(key)
            }
            return .order(keys)
        }
        return nil
    }

    static func render(_ labels: [String: String]) -> String {
        "map[" + labels.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " ") + "]"
    }
}

/// Every validation error of one CloneSet.
public struct RolloutSpecErrors: Error, Hashable, CustomStringConvertible {
    public var errors: [FieldError]
    public var description: String { "[" + errors.map(\.description).joined(separator: ", ") + "]" }
}
