/// Labels and annotations kubelet puts on sandboxes and containers, so `crictl` and log
/// collectors see what they expect.
public enum KubeletLabels {
    public static let podName = "io.kubernetes.pod.name"
    public static let podNamespace = "io.kubernetes.pod.namespace"
    public static let podUID = "io.kubernetes.pod.uid"
    public static let containerName = "io.kubernetes.container.name"
    public static let containerHash = "io.kubernetes.container.hash"
    public static let containerRestartCount = "io.kubernetes.container.restartCount"
    public static let terminationMessagePath = "io.kubernetes.container.terminationMessagePath"
    public static let terminationMessagePolicy = "io.kubernetes.container.terminationMessagePolicy"
    public static let podTerminationGracePeriod = "io.kubernetes.pod.terminationGracePeriod"
    /// inplaced's own: which hash algorithm wrote `io.kubernetes.container.hash`.
    public static let containerHashAlgorithm = "inplaced.io/container-hash-algorithm"
}
