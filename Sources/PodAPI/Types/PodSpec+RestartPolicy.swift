extension PodSpec {
    /// `restartPolicy` as the API server defaults it: `Always` when unset (or not one of the three,
    /// which validation refuses before a pod gets here).
    public var effectiveRestartPolicy: RestartPolicy {
        restartPolicy.flatMap(RestartPolicy.init(rawValue:)) ?? .always
    }
}
