extension PodSchema {
    /// Tolerations, affinity, topology spread and label selectors.
    static let scheduling: [StructSchema] = [
        StructSchema(
            "Toleration",
            [
                "key": .str, "operator": .named("TolerationOperator"), "value": .str,
                "effect": .named("TaintEffect"), "tolerationSeconds": .int64,
            ]),
        StructSchema(
            "Affinity",
            [
                "nodeAffinity": .obj("NodeAffinity"), "podAffinity": .obj("PodAffinity"), "podAntiAffinity": .obj("PodAntiAffinity"),
            ]),
        StructSchema(
            "NodeAffinity",
            [
                "requiredDuringSchedulingIgnoredDuringExecution": .obj("NodeSelector"),
                "preferredDuringSchedulingIgnoredDuringExecution": .list("PreferredSchedulingTerm"),
            ]),
        StructSchema("NodeSelector", ["nodeSelectorTerms": .list("NodeSelectorTerm")]),
        StructSchema(
            "NodeSelectorTerm",
            [
                "matchExpressions": .list("NodeSelectorRequirement"), "matchFields": .list("NodeSelectorRequirement"),
            ]),
        StructSchema("NodeSelectorRequirement", ["key": .str, "operator": .named("NodeSelectorOperator"), "values": .strs]),
        StructSchema("PreferredSchedulingTerm", ["weight": .int32, "preference": .obj("NodeSelectorTerm")]),
        StructSchema(
            "PodAffinity",
            [
                "requiredDuringSchedulingIgnoredDuringExecution": .list("PodAffinityTerm"),
                "preferredDuringSchedulingIgnoredDuringExecution": .list("WeightedPodAffinityTerm"),
            ]),
        StructSchema(
            "PodAntiAffinity",
            [
                "requiredDuringSchedulingIgnoredDuringExecution": .list("PodAffinityTerm"),
                "preferredDuringSchedulingIgnoredDuringExecution": .list("WeightedPodAffinityTerm"),
            ]),
        StructSchema(
            "PodAffinityTerm",
            [
                "labelSelector": .obj("LabelSelector"), "namespaces": .strs, "topologyKey": .str,
                "namespaceSelector": .obj("LabelSelector"), "matchLabelKeys": .strs, "mismatchLabelKeys": .strs,
            ]),
        StructSchema("WeightedPodAffinityTerm", ["weight": .int32, "podAffinityTerm": .obj("PodAffinityTerm")]),
        StructSchema("LabelSelector", ["matchLabels": .strMap, "matchExpressions": .list("LabelSelectorRequirement")]),
        StructSchema("LabelSelectorRequirement", ["key": .str, "operator": .named("LabelSelectorOperator"), "values": .strs]),
        StructSchema(
            "TopologySpreadConstraint",
            [
                "maxSkew": .int32, "topologyKey": .str, "whenUnsatisfiable": .named("UnsatisfiableConstraintAction"),
                "labelSelector": .obj("LabelSelector"), "minDomains": .int32,
                "nodeAffinityPolicy": .named("NodeInclusionPolicy"), "nodeTaintsPolicy": .named("NodeInclusionPolicy"),
                "matchLabelKeys": .strs,
            ]),
    ]

    /// Container and pod security contexts.
    static let security: [StructSchema] = [
        StructSchema(
            "SecurityContext",
            [
                "capabilities": .obj("Capabilities"), "privileged": .bool, "seLinuxOptions": .obj("SELinuxOptions"),
                "windowsOptions": .obj("WindowsSecurityContextOptions"), "runAsUser": .int64, "runAsGroup": .int64,
                "runAsNonRoot": .bool, "readOnlyRootFilesystem": .bool, "allowPrivilegeEscalation": .bool,
                "procMount": .named("ProcMountType"), "seccompProfile": .obj("SeccompProfile"),
                "appArmorProfile": .obj("AppArmorProfile"),
            ]),
        StructSchema("Capabilities", ["add": .array(.named("Capability")), "drop": .array(.named("Capability"))]),
        StructSchema("SELinuxOptions", ["user": .str, "role": .str, "type": .str, "level": .str]),
        StructSchema(
            "WindowsSecurityContextOptions",
            [
                "gmsaCredentialSpecName": .str, "gmsaCredentialSpec": .str, "runAsUserName": .str, "hostProcess": .bool,
            ]),
        StructSchema("SeccompProfile", ["type": .named("SeccompProfileType"), "localhostProfile": .str]),
        StructSchema("AppArmorProfile", ["type": .named("AppArmorProfileType"), "localhostProfile": .str]),
        StructSchema(
            "PodSecurityContext",
            [
                "seLinuxOptions": .obj("SELinuxOptions"), "windowsOptions": .obj("WindowsSecurityContextOptions"),
                "runAsUser": .int64, "runAsGroup": .int64, "runAsNonRoot": .bool,
                "supplementalGroups": .array(.int64), "supplementalGroupsPolicy": .named("SupplementalGroupsPolicy"),
                "fsGroup": .int64, "sysctls": .list("Sysctl"), "fsGroupChangePolicy": .named("PodFSGroupChangePolicy"),
                "seccompProfile": .obj("SeccompProfile"), "appArmorProfile": .obj("AppArmorProfile"),
                "seLinuxChangePolicy": .named("PodSELinuxChangePolicy"),
            ]),
        StructSchema("Sysctl", ["name": .str, "value": .str]),
    ]
}
