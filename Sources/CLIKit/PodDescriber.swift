import Foundation
import PodAPI

/// `kubectl describe pod` as kubectl prints it (its `describePod`), with this agent's
/// in-place update history added before the events:
///
/// Name, Namespace, Priority, Service Account, Node, Start Time, Labels, Annotations, Status,
/// Reason, Message, IP, IPs, Controlled By, Init Containers and Containers (Container ID, Image,
/// Image ID, Port, Host Port, Command, Args, State, Last State, Ready, Restart Count, Limits,
/// Requests, probes, Environment, Mounts), Readiness Gates, Conditions, Volumes, QoS Class,
/// Node-Selectors, Tolerations, `In-place Updates` and Events (`Type Reason Age From Message`,
/// with `(x3 over 5m)` for repeated events). Aligned by ``TabWriter/kubectlDescribe``.
public struct PodDescriber: Sendable {
    /// The instant ages are measured to.
    public var now: Date
    /// The zone that times (`Start Time`, `Started`, `Finished`) are printed in; kubectl uses the local one.
    public var timeZone: TimeZone

    public init(now: Date = Date(), timeZone: TimeZone = .current) {
        self.now = now
        self.timeZone = timeZone
    }

    /// The description; `updates` and `events` nil leave out their sections, empty prints `<none>`.
    public func describe(_ pod: Pod, updates: [InPlaceUpdate]?, events: [Event]?) -> String {
        var w = DescribeWriter()
        let status = pod.status ?? PodStatus()
        let spec = pod.spec
        w.write(0, "Name:\t\(pod.metadata.name ?? "")\n")
        w.write(0, "Namespace:\t\(pod.metadata.namespace ?? "default")\n")
        if let priority = spec.other["priority"]?.integerValue { w.write(0, "Priority:\t\(priority)\n") }
        if let pc = spec.other["priorityClassName"]?.stringValue, !pc.isEmpty {
            w.write(0, "Priority Class Name:\t\(pc)\n")
        }
        if let rc = spec.other["runtimeClassName"]?.stringValue, !rc.isEmpty {
            w.write(0, "Runtime Class Name:\t\(rc)\n")
        }
        if let sa = spec.other["serviceAccountName"]?.stringValue, !sa.isEmpty {
            w.write(0, "Service Account:\t\(sa)\n")
        }
        if let node = spec.nodeName, !node.isEmpty {
            w.write(0, "Node:\t\(node)/\(status.hostIP ?? "")\n")
        } else {
            w.write(0, "Node:\t<none>\n")
        }
        if let start = status.startTime { w.write(0, "Start Time:\t\(rfc1123Z(start))\n") }
        writeLabels(&w, "Labels", pod.metadata.labels ?? [:])
        writeAnnotations(&w, pod.metadata.annotations ?? [:])
        let phase = status.phase ?? ""
        if let deletion = pod.metadata.deletionTimestamp, phase != "Failed" && phase != "Succeeded" {
            w.write(0, "Status:\tTerminating (lasts \(HumanDuration.since(deletion, now: now)))\n")
            w.write(0, "Termination Grace Period:\t\(pod.metadata.deletionGracePeriodSeconds ?? 0)s\n")
        } else {
            w.write(0, "Status:\t\(phase)\n")
        }
        if let reason = status.reason, !reason.isEmpty { w.write(0, "Reason:\t\(reason)\n") }
        if let message = status.message, !message.isEmpty { w.write(0, "Message:\t\(message)\n") }
        w.write(0, "IP:\t\(status.podIP ?? "")\n")
        if let ips = status.podIPs, !ips.isEmpty {
            w.write(0, "IPs:\n")
            for ip in ips { w.write(1, "IP:\t\(ip.ip)\n") }
        } else {
            w.write(0, "IPs:\t<none>\n")
        }
        if let controller = controlledBy(pod) { w.write(0, "Controlled By:\t\(controller)\n") }

        if let inits = spec.initContainers, !inits.isEmpty {
            writeContainers(&w, "Init Containers", inits, status.initContainerStatuses ?? [])
        }
        writeContainers(&w, "Containers", spec.containers, status.containerStatuses ?? [])

        let conditions = status.conditions ?? []
        if let gates = spec.readinessGates, !gates.isEmpty {
            w.write(0, "Readiness Gates:\n  Type\tStatus\n")
            for gate in gates {
                let value = conditions.first { $0.type == gate.conditionType }?.status ?? "<none>"
                w.write(1, "\(gate.conditionType) \t\(value) \n")
            }
        }
        if !conditions.isEmpty {
            w.write(0, "Conditions:\n  Type\tStatus\n")
            for c in conditions { w.write(1, "\(c.type) \t\(c.status) \n") }
        }
        writeVolumes(&w, spec.other["volumes"]?.arrayValue ?? [])
        w.write(0, "QoS Class:\t\(qosClass(pod))\n")
        var selectors: [String: String] = [:]
        for (k, v) in spec.other["nodeSelector"]?.objectValue ?? [:] { selectors[k] = v.stringValue ?? "" }
        writeLabels(&w, "Node-Selectors", selectors)
        writeTolerations(&w, spec.tolerations ?? [])
        if let updates { writeUpdates(&w, updates) }
        if let events { writeEvents(&w, events) }
        return TabWriter.kubectlDescribe.format(w.text)
    }

    // MARK: - Sections

    private func writeLabels(_ w: inout DescribeWriter, _ title: String, _ labels: [String: String]) {
        w.write(0, "\(title):\t")
        guard !labels.isEmpty else {
            w.text += "<none>\n"
            return
        }
        for (i, key) in labels.keys.sorted().enumerated() {
            if i != 0 { w.text += "\t" }
            w.text += "\(key)=\(labels[key] ?? "")\n"
        }
    }

    private static let maxAnnotationLength = 140

    private func writeAnnotations(_ w: inout DescribeWriter, _ annotations: [String: String]) {
        w.write(0, "Annotations:\t")
        let keys = annotations.keys.filter { $0 != "kubectl.kubernetes.io/last-applied-configuration" }.sorted()
        guard !keys.isEmpty else {
            w.text += "<none>\n"
            return
        }
        for (i, key) in keys.enumerated() {
            if i != 0 { w.text += "\t" }
            var value = annotations[key] ?? ""
            if value.hasSuffix("\n") { value.removeLast() }
            if value.count + key.count + 2 > Self.maxAnnotationLength || value.contains("\n") {
                w.text += "\(key):\n"
                for line in value.split(separator: "\n", omittingEmptySubsequences: false) {
                    let limit = Self.maxAnnotationLength - 2
                    let shown = line.count > limit ? String(line.prefix(limit)) + "..." : String(line)
                    w.text += "\t  \(shown)\n"
                }
            } else {
                w.text += "\(key): \(value)\n"
            }
        }
    }

    private func writeContainers(
        _ w: inout DescribeWriter, _ label: String, _ containers: [Container],
        _ statuses: [ContainerStatus]
    ) {
        w.write(0, containers.isEmpty ? "\(label): <none>\n" : "\(label):\n")
        for container in containers {
            let status = statuses.first { $0.name == container.name }
            w.write(1, "\(container.name):\n")
            if let status { w.write(2, "Container ID:\t\(status.containerID ?? "")\n") }
            w.write(2, "Image:\t\(container.image ?? "")\n")
            if let status { w.write(2, "Image ID:\t\(status.imageID)\n") }
            let ports = container.other["ports"]?.arrayValue ?? []
            let protocolOf = { (p: JSONValue) in p["protocol"]?.stringValue ?? "TCP" }
            let portText = ports.map { "\($0["containerPort"]?.integerValue ?? 0)/\(protocolOf($0))" }.joined(separator: ", ")
            let hostText = ports.map { "\($0["hostPort"]?.integerValue ?? 0)/\(protocolOf($0))" }.joined(separator: ", ")
            w.write(2, portText.contains(",") ? "Ports:\t\(portText)\n" : "Port:\t\(portText.isEmpty ? "<none>" : portText)\n")
            w.write(2, hostText.contains(",") ? "Host Ports:\t\(hostText)\n" : "Host Port:\t\(hostText.isEmpty ? "<none>" : hostText)\n")
            if let policy = container.other["restartPolicy"]?.stringValue {
                w.write(2, "Restart Policy:\t\(policy)\n")
            }
            if let command = container.command, !command.isEmpty {
                w.write(2, "Command:\n")
                for c in command { for line in c.split(separator: "\n", omittingEmptySubsequences: false) { w.write(3, "\(line)\n") } }
            }
            if let args = container.args, !args.isEmpty {
                w.write(2, "Args:\n")
                for a in args { for line in a.split(separator: "\n", omittingEmptySubsequences: false) { w.write(3, "\(line)\n") } }
            }
            if let status {
                writeState(&w, "State", status.state)
                if status.lastState.terminated != nil { writeState(&w, "Last State", status.lastState) }
                w.write(2, "Ready:\t\(status.ready ? "True" : "False")\n")
                w.write(2, "Restart Count:\t\(status.restartCount)\n")
            }
            writeResources(&w, container.other["resources"])
            for (title, key) in [("Liveness", "livenessProbe"), ("Readiness", "readinessProbe"), ("Startup", "startupProbe")] {
                if let probe = container.other[key] { w.write(2, "\(title):\t\(describeProbe(probe))\n") }
            }
            if let envFrom = container.other["envFrom"]?.arrayValue, !envFrom.isEmpty {
                w.write(2, "Environment Variables from:\n")
                for source in envFrom {
                    let (kind, ref) = source["configMapRef"].map { ("ConfigMap", $0) } ?? ("Secret", source["secretRef"] ?? .null)
                    let name = ref["name"]?.stringValue ?? ""
                    let optional = ref["optional"] == .bool(true)
                    if let prefix = source["prefix"]?.stringValue, !prefix.isEmpty {
                        w.write(3, "\(name)\t\(kind) with prefix '\(prefix)'\tOptional: \(optional)\n")
                    } else {
                        w.write(3, "\(name)\t\(kind)\tOptional: \(optional)\n")
                    }
                }
            }
            writeEnvironment(&w, container.other["env"]?.arrayValue ?? [])
            let mounts = (container.other["volumeMounts"]?.arrayValue ?? [])
                .sorted { ($0["mountPath"]?.stringValue ?? "") < ($1["mountPath"]?.stringValue ?? "") }
            w.write(2, mounts.isEmpty ? "Mounts:\t<none>\n" : "Mounts:\n")
            for m in mounts {
                var flags = [m["readOnly"] == .bool(true) ? "ro" : "rw"]
                if let sub = m["subPath"]?.stringValue, !sub.isEmpty { flags.append("path=\"\(sub)\"") }
                w.write(3, "\(m["mountPath"]?.stringValue ?? "") from \(m["name"]?.stringValue ?? "") (\(flags.joined(separator: ",")))\n")
            }
        }
    }

    private func writeState(_ w: inout DescribeWriter, _ name: String, _ state: ContainerState) {
        if let running = state.running {
            w.write(2, "\(name):\tRunning\n")
            w.write(3, "Started:\t\(rfc1123Z(running.startedAt))\n")
        } else if let waiting = state.waiting {
            w.write(2, "\(name):\tWaiting\n")
            if let r = waiting.reason, !r.isEmpty { w.write(3, "Reason:\t\(r)\n") }
        } else if let t = state.terminated {
            w.write(2, "\(name):\tTerminated\n")
            if let r = t.reason, !r.isEmpty { w.write(3, "Reason:\t\(r)\n") }
            if let m = t.message, !m.isEmpty { w.write(3, "Message:\t\(m)\n") }
            w.write(3, "Exit Code:\t\(t.exitCode)\n")
            if let signal = t.signal, signal > 0 { w.write(3, "Signal:\t\(signal)\n") }
            w.write(3, "Started:\t\(rfc1123Z(t.startedAt))\n")
            w.write(3, "Finished:\t\(rfc1123Z(t.finishedAt))\n")
        } else {
            w.write(2, "\(name):\tWaiting\n")
        }
    }

    private func writeResources(_ w: inout DescribeWriter, _ resources: JSONValue?) {
        for (title, key) in [("Limits", "limits"), ("Requests", "requests")] {
            guard let values = resources?[key]?.objectValue, !values.isEmpty else { continue }
            w.write(2, "\(title):\n")
            for name in values.keys.sorted() { w.write(3, "\(name):\t\(quantity(values[name]!))\n") }
        }
    }

    private func writeEnvironment(_ w: inout DescribeWriter, _ env: [JSONValue]) {
        w.write(2, env.isEmpty ? "Environment:\t<none>\n" : "Environment:\n")
        for e in env {
            let name = e["name"]?.stringValue ?? ""
            guard let from = e["valueFrom"] else {
                let value = e["value"]?.stringValue ?? ""
                for (i, line) in value.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    w.write(3, i == 0 ? "\(name):\t\(line)\n" : "\t\(line)\n")
                }
                continue
            }
            if let ref = from["fieldRef"] {
                w.write(3, "\(name):\t (\(ref["apiVersion"]?.stringValue ?? "v1"):\(ref["fieldPath"]?.stringValue ?? ""))\n")
            } else if let ref = from["resourceFieldRef"] {
                w.write(3, "\(name):\t (\(ref["resource"]?.stringValue ?? ""))\n")
            } else if let ref = from["secretKeyRef"] {
                w.write(
                    3,
                    "\(name):\t<set to the key '\(ref["key"]?.stringValue ?? "")' in secret '\(ref["name"]?.stringValue ?? "")'>\tOptional: \(ref["optional"] == .bool(true))\n"
                )
            } else if let ref = from["configMapKeyRef"] {
                w.write(
                    3,
                    "\(name):\t<set to the key '\(ref["key"]?.stringValue ?? "")' of config map '\(ref["name"]?.stringValue ?? "")'>\tOptional: \(ref["optional"] == .bool(true))\n"
                )
            } else {
                w.write(3, "\(name):\t<set from valueFrom>\n")
            }
        }
    }

    private func writeVolumes(_ w: inout DescribeWriter, _ volumes: [JSONValue]) {
        guard !volumes.isEmpty else {
            w.write(0, "Volumes:\t<none>\n")
            return
        }
        w.write(0, "Volumes:\n")
        for v in volumes {
            w.write(1, "\(v["name"]?.stringValue ?? ""):\n")
            if let h = v["hostPath"] {
                w.write(2, "Type:\tHostPath (bare host directory volume)\n")
                w.write(2, "Path:\t\(h["path"]?.stringValue ?? "")\n")
                let type = h["type"]?.stringValue ?? "<none>"
                w.write(2, "HostPathType:\t\(type.isEmpty ? "<none>" : type)\n")
            } else if let e = v["emptyDir"] {
                w.write(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n")
                w.write(2, "Medium:\t\(e["medium"]?.stringValue ?? "")\n")
                w.write(2, "SizeLimit:\t\(e["sizeLimit"].map(quantity) ?? "<unset>")\n")
            } else if let c = v["configMap"] {
                w.write(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n")
                w.write(2, "Name:\t\(c["name"]?.stringValue ?? "")\n")
                w.write(2, "Optional:\t\(c["optional"] == .bool(true))\n")
            } else if let s = v["secret"] {
                w.write(2, "Type:\tSecret (a volume populated by a Secret)\n")
                w.write(2, "SecretName:\t\(s["secretName"]?.stringValue ?? "")\n")
                w.write(2, "Optional:\t\(s["optional"] == .bool(true))\n")
            } else {
                w.write(1, "<unknown>\n")
            }
        }
    }

    private func writeTolerations(_ w: inout DescribeWriter, _ tolerations: [JSONValue]) {
        w.write(0, "Tolerations:\t")
        guard !tolerations.isEmpty else {
            w.text += "<none>\n"
            return
        }
        let sorted = tolerations.sorted { ($0["key"]?.stringValue ?? "") < ($1["key"]?.stringValue ?? "") }
        for (i, t) in sorted.enumerated() {
            if i != 0 { w.text += "\t" }
            let key = t["key"]?.stringValue ?? ""
            let value = t["value"]?.stringValue ?? ""
            let effect = t["effect"]?.stringValue ?? ""
            var line = key
            if !value.isEmpty { line += "=\(value)" }
            if !effect.isEmpty { line += ":\(effect)" }
            if t["operator"]?.stringValue == "Exists" && value.isEmpty {
                line += key.isEmpty && effect.isEmpty ? "op=Exists" : " op=Exists"
            }
            if let seconds = t["tolerationSeconds"]?.integerValue { line += " for \(seconds)s" }
            w.text += line + "\n"
        }
    }

    private func writeUpdates(_ w: inout DescribeWriter, _ updates: [InPlaceUpdate]) {
        guard !updates.isEmpty else {
            w.write(0, "In-place Updates:\t<none>\n")
            return
        }
        let withMessage = updates.contains { !($0.message ?? "").isEmpty }
        w.write(0, "In-place Updates:\n")
        w.write(1, "Container\tImage\tStep\tStarted\tFinished\tImage ID" + (withMessage ? "\tMessage\n" : "\n"))
        w.write(1, "---------\t-----\t----\t-------\t--------\t--------" + (withMessage ? "\t-------\n" : "\n"))
        for u in updates {
            let started = HumanDuration.since(u.startedAt, now: now) + " ago"
            let finished = u.finishedAt.map { HumanDuration.since($0, now: now) + " ago" } ?? "<none>"
            let ids = "\(Self.shortImageID(u.oldImageID)) -> \(Self.shortImageID(u.newImageID))"
            var line = "\(u.container)\t\(u.fromImage) -> \(u.toImage)\t\(u.step.rawValue)\t\(started)\t\(finished)\t\(ids)"
            if withMessage { line += "\t" + (u.message ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
            w.write(1, line + "\n")
        }
    }

    private func writeEvents(_ w: inout DescribeWriter, _ events: [Event]) { Self.writeEvents(&w, events, now: now) }

    /// The Events section (`Type Reason Age From Message`), `<none>` when empty.
    static func writeEvents(_ w: inout DescribeWriter, _ events: [Event], now: Date) {
        guard !events.isEmpty else {
            w.write(0, "Events:\t<none>\n")
            return
        }
        w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
        w.write(1, "----\t------\t----\t----\t-------\n")
        for e in EventOrder.sorted(events) {
            w.write(
                1,
                "\(e.type)\t\(e.reason)\t\(eventAge(e, now: now))\t\(e.source.component ?? "")\t\(e.message.trimmingCharacters(in: .whitespacesAndNewlines))\n"
            )
        }
    }

    // MARK: - Cells

    /// kubectl's event interval: `5m (x3 over 10m)` for a repeated event, else its first age.
    public static func eventAge(_ e: Event, now: Date) -> String {
        let first = HumanDuration.since(e.firstTimestamp, now: now)
        if e.count > 1 {
            return "\(HumanDuration.since(e.lastTimestamp, now: now)) (x\(e.count) over \(first))"
        }
        return first
    }

    /// The first 12 hex digits of an image ID's digest (`docker.io/x@sha256:0123...` →
    /// `0123456789ab`); an ID without a digest is shown whole; nil or empty is `<none>`.
    public static func shortImageID(_ id: String?) -> String {
        guard let id, !id.isEmpty else { return "<none>" }
        var digest = Substring(id)
        if let at = id.lastIndex(of: "@") { digest = id[id.index(after: at)...] }
        if let colon = digest.firstIndex(of: ":"), digest[..<colon].hasPrefix("sha") {
            return String(digest[digest.index(after: colon)...].prefix(12))
        }
        return id
    }

    private func rfc1123Z(_ time: Time?) -> String {
        // Go prints a zero time.Time as 0001-01-01; an unset time is that here.
        guard let time else { return "Mon, 01 Jan 0001 00:00:00 +0000" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = timeZone
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return f.string(from: time.date)
    }

    private func controlledBy(_ pod: Pod) -> String? {
        guard let refs = pod.metadata.ownerReferences?.arrayValue else { return nil }
        guard let ref = refs.first(where: { $0["controller"] == .bool(true) }) else { return nil }
        return "\(ref["kind"]?.stringValue ?? "")/\(ref["name"]?.stringValue ?? "")"
    }

    private func quantity(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .number(let d): return String(d)
        default: return ""
        }
    }

    private func describeProbe(_ p: JSONValue) -> String {
        let n = { (k: String, d: Int64) in p[k]?.integerValue ?? d }
        let attrs =
            "delay=\(n("initialDelaySeconds", 0))s timeout=\(n("timeoutSeconds", 1))s period=\(n("periodSeconds", 10))s #success=\(n("successThreshold", 1)) #failure=\(n("failureThreshold", 3))"
        if let exec = p["exec"] {
            let command = (exec["command"]?.arrayValue ?? []).map { $0.stringValue ?? "" }.joined(separator: " ")
            return "exec [\(command)] \(attrs)"
        }
        if let h = p["httpGet"] {
            let scheme = (h["scheme"]?.stringValue ?? "HTTP").lowercased()
            let port = h["port"].map(quantity) ?? ""
            let host = h["host"]?.stringValue ?? ""
            return "http-get \(scheme)://\(port.isEmpty ? host : "\(host):\(port)")\(h["path"]?.stringValue ?? "") \(attrs)"
        }
        if let t = p["tcpSocket"] {
            return "tcp-socket \(t["host"]?.stringValue ?? ""):\(t["port"].map(quantity) ?? "") \(attrs)"
        }
        if let g = p["grpc"] {
            return "grpc <pod>:\(g["port"]?.integerValue ?? 0) \(g["service"]?.stringValue ?? "") \(attrs)"
        }
        return "unknown \(attrs)"
    }

    private func qosClass(_ pod: Pod) -> String {
        if let q = pod.status?.qosClass, !q.isEmpty { return q }
        var any = false
        var guaranteed = true
        for c in pod.spec.containers + (pod.spec.initContainers ?? []) {
            let requests = c.other["resources"]?["requests"]?.objectValue ?? [:]
            let limits = c.other["resources"]?["limits"]?.objectValue ?? [:]
            for key in ["cpu", "memory"] {
                let request = requests[key].map(quantity)
                let limit = limits[key].map(quantity)
                if request != nil || limit != nil { any = true }
                if limit == nil || (request != nil && request != limit) { guaranteed = false }
            }
        }
        if !any { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}
