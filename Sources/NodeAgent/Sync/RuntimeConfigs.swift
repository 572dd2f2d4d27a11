import ContainerRuntime
import Foundation
import PodAPI

/// Builds CRI sandbox and container configs from a Pod as kubelet's kuberuntime does: the
/// `io.kubernetes.*` labels and annotations, metadata.attempt = restartCount, log path
/// `<container>/<restartCount>.log` under `<podLogRoot>/<ns>_<name>_<uid>`.
public enum RuntimeConfigs {
    /// Sandbox annotation holding the hash of the pod spec without its in-place-mutable fields;
    /// when the desired spec's differs, the pod is recreated (InPlaceIfPossible).
    public static let podSpecHashAnnotation = "inplaced.io/pod-spec-hash"
    /// Label on every sandbox this agent creates; only these are its to clean up.
    public static let managedLabel = "inplaced.io/managed"

    public static func sandbox(for pod: Pod, uid: String, attempt: UInt32, podLogRoot: String, specHash: String) -> PodSandboxConfig {
        let ns = pod.metadata.namespace ?? "default"
        let name = pod.metadata.name ?? ""
        var labels = pod.metadata.labels ?? [:]
        labels[KubeletLabels.podName] = name
        labels[KubeletLabels.podNamespace] = ns
        labels[KubeletLabels.podUID] = uid
        labels[managedLabel] = "true"
        var annotations = pod.metadata.annotations ?? [:]
        annotations[podSpecHashAnnotation] = specHash
        return PodSandboxConfig(
            name: name, namespace: ns, uid: uid, attempt: attempt,
            // A host-network pod shares the node's UTS namespace: it keeps the node's hostname
            // (containerd refuses to set one without a private UTS namespace).
            hostname: (pod.spec.hostNetwork ?? false) ? "" : pod.spec.other["hostname"]?.stringValue ?? String(name.prefix(63)),
            logDirectory: "\(podLogRoot)/\(ns)_\(name)_\(uid)",
            labels: labels, annotations: annotations, hostNetwork: pod.spec.hostNetwork ?? false)
    }

    /// - Parameter mounts: the container's volume mounts, from ``PodVolumes``.
    public static func container(
        for c: Container, pod: Pod, uid: String, imageRef: String, restartCount: Int,
        hash: String, algorithm: HashAlgorithm, mounts: [Mount] = []
    ) -> ContainerConfig {
        var annotations: [String: String] = [
            KubeletLabels.containerHash: hash,
            KubeletLabels.containerHashAlgorithm: algorithm.rawValue,
            KubeletLabels.containerRestartCount: String(restartCount),
            KubeletLabels.terminationMessagePath: c.terminationMessagePath ?? "/dev/termination-log",
            KubeletLabels.terminationMessagePolicy: c.terminationMessagePolicy ?? "File",
        ]
        if let g = pod.spec.terminationGracePeriodSeconds {
            annotations[KubeletLabels.podTerminationGracePeriod] = String(g)
        }
        let labels = [
            KubeletLabels.podName: pod.metadata.name ?? "",
            KubeletLabels.podNamespace: pod.metadata.namespace ?? "default",
            KubeletLabels.podUID: uid,
            KubeletLabels.containerName: c.name,
        ]
        return ContainerConfig(
            name: c.name, attempt: UInt32(clamping: restartCount), image: imageRef,
            userSpecifiedImage: c.image ?? "", command: c.command ?? [], args: c.args ?? [],
            workingDir: c.workingDir ?? "", envs: env(of: c, pod: pod, uid: uid), mounts: mounts,
            labels: labels, annotations: annotations, logPath: "\(c.name)/\(restartCount).log",
            stopSignal: c.other["lifecycle"]?["stopSignal"]?.stringValue ?? "")
    }

    /// Plain `env` values and the downward-API fields a node knows (`metadata.name`,
    /// `metadata.namespace`, `metadata.uid`, `spec.nodeName`); other sources are skipped.
    static func env(of c: Container, pod: Pod, uid: String) -> [KeyValue] {
        guard let list = c.other["env"]?.arrayValue else { return [] }
        return list.compactMap { item in
            guard let name = item["name"]?.stringValue else { return nil }
            if let v = item["value"]?.stringValue { return KeyValue(key: name, value: v) }
            if let path = item["valueFrom"]?["fieldRef"]?["fieldPath"]?.stringValue {
                switch path {
                case "metadata.name": return KeyValue(key: name, value: pod.metadata.name ?? "")
                case "metadata.namespace": return KeyValue(key: name, value: pod.metadata.namespace ?? "default")
                case "metadata.uid": return KeyValue(key: name, value: uid)
                case "spec.nodeName": return KeyValue(key: name, value: pod.spec.nodeName ?? "")
                default: return nil
                }
            }
            if item["valueFrom"] == nil { return KeyValue(key: name, value: "") }
            return nil
        }
    }

    /// Hash of the spec with the fields an update may change in place blanked (container and
    /// init container images, activeDeadlineSeconds, tolerations): equal hashes mean the pod can
    /// be kept; different ones mean it must be recreated.
    public static func podSpecHash(_ spec: PodSpec) -> String {
        var s = spec
        s.containers = s.containers.map {
            var c = $0
            c.image = nil
            return c
        }
        s.initContainers = s.initContainers?.map {
            var c = $0
            c.image = nil
            return c
        }
        s.activeDeadlineSeconds = nil
        s.tolerations = nil
        s.nodeName = nil
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let data = (try? enc.encode(s)) ?? Data()
        return String(ContainerHasher.fnv1a32(Array(data)), radix: 16)
    }
}
