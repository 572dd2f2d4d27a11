import Foundation
import PodAPI

/// The JSON of a core/v1 Container as Go's encoding/json writes it (the pre-1.31 hash input):
/// fields in the Go struct's order, empty optional fields omitted, `resources` always present.
enum GoContainerJSON {
    /// Go struct field order of core/v1 Container.
    static let containerOrder = [
        "name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources", "resizePolicy",
        "restartPolicy", "restartPolicyRules", "volumeMounts", "volumeDevices", "livenessProbe", "readinessProbe",
        "startupProbe", "lifecycle", "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy",
        "securityContext", "stdin", "stdinOnce", "tty",
    ]
    static let portOrder = ["name", "hostPort", "containerPort", "protocol", "hostIP"]
    static let envOrder = ["name", "value", "valueFrom"]
    static let envSourceOrder = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef"]
    static let keyRefOrder = ["name", "key", "optional"]
    static let resourcesOrder = ["limits", "requests", "claims"]

    static func value(of c: Container) -> GoValue {
        var all: [String: JSONValue] = c.other
        all["name"] = .string(c.name)
        if let v = c.image, !v.isEmpty { all["image"] = .string(v) }
        if let v = c.command, !v.isEmpty { all["command"] = .array(v.map { .string($0) }) }
        if let v = c.args, !v.isEmpty { all["args"] = .array(v.map { .string($0) }) }
        if let v = c.workingDir, !v.isEmpty { all["workingDir"] = .string(v) }
        if let v = c.imagePullPolicy, !v.isEmpty { all["imagePullPolicy"] = .string(v) }
        if let v = c.terminationMessagePath, !v.isEmpty { all["terminationMessagePath"] = .string(v) }
        if let v = c.terminationMessagePolicy, !v.isEmpty { all["terminationMessagePolicy"] = .string(v) }
        var members: [(String, GoValue)] = []
        for key in containerOrder + all.keys.filter({ !containerOrder.contains($0) }).sorted() {
            if key == "resources" {
                members.append(("resources", resources(all["resources"])))
                continue
            }
            guard let v = all[key], !isEmpty(v) else { continue }
            switch key {
            case "ports": members.append((key, .array((v.arrayValue ?? []).map { GoJSON.from($0, order: portOrder) })))
            case "env": members.append((key, .array((v.arrayValue ?? []).map(env))))
            default: members.append((key, GoJSON.from(v)))
            }
        }
        return .object(members)
    }

    private static func resources(_ v: JSONValue?) -> GoValue {
        guard let v, case .object = v else { return .object([]) }
        return GoJSON.from(v, order: resourcesOrder)
    }

    private static func env(_ v: JSONValue) -> GoValue {
        guard let o = v.objectValue else { return GoJSON.from(v) }
        var members: [(String, GoValue)] = []
        for key in envOrder where o[key] != nil && !isEmpty(o[key]!) {
            if key == "valueFrom", let src = o[key]?.objectValue {
                var s: [(String, GoValue)] = []
                for k in envSourceOrder + src.keys.filter({ !envSourceOrder.contains($0) }).sorted() {
                    guard let ref = src[k] else { continue }
                    s.append((k, GoJSON.from(ref, order: keyRefOrder)))
                }
                members.append((key, .object(s)))
            } else {
                members.append((key, GoJSON.from(o[key]!)))
            }
        }
        return .object(members)
    }

    private static func isEmpty(_ v: JSONValue) -> Bool {
        switch v {
        case .null: return true
        case .string(let s): return s.isEmpty
        case .array(let a): return a.isEmpty
        case .object(let o): return o.isEmpty
        case .bool(let b): return !b
        case .integer(let i): return i == 0
        case .number(let d): return d == 0
        }
    }
}
