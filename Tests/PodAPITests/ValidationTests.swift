import Testing

@testable import PodAPI

@Suite struct ValidationTests {
    /// Loads one manifest and returns its error messages.
    func errors(_ yaml: String) -> [String] { load(yaml).messages }

    @Test func validPodHasNoErrors() {
        #expect(errors(podYAML()).isEmpty)
    }

    @Test func fieldErrorRendering() {
        let p = FieldPath("spec").child("containers").index(2).child("resources").child("limits").key("cpu")
        #expect(p.description == "spec.containers[2].resources.limits[cpu]")
        #expect(FieldError.required(p).description == "spec.containers[2].resources.limits[cpu]: Required value")
        #expect(FieldError.invalid(FieldPath("x"), "a\"b\n", "bad").description == #"x: Invalid value: "a\"b\n": bad"#)
        #expect(FieldError.invalid(FieldPath("x"), Int64(-3), "bad").description == "x: Invalid value: -3: bad")
        #expect(
            FieldError.notSupported(FieldPath("x"), "y", ["a", "b"]).description
                == #"x: Unsupported value: "y": supported values: "a", "b""#)
        #expect(FieldError.forbidden(FieldPath("x"), "no").description == "x: Forbidden: no")
        #expect(FieldError.notFound(FieldPath("x"), "v").description == #"x: Not found: "v""#)
        #expect(FieldError.tooLong(FieldPath("x"), maxBytes: 10).description == "x: Too long: may not be more than 10 bytes")
        #expect(GoQuote.quote("é\u{7}\u{200B}") == #""é\a\u200b""#)
    }

    @Test func nameChecks() {
        #expect(NameValidation.dns1123Label(String(repeating: "a", count: 63)).isEmpty)
        #expect(NameValidation.dns1123Label(String(repeating: "a", count: 64)) == ["must be no more than 63 characters"])
        #expect(NameValidation.dns1123Label("-a").count == 1)
        #expect(NameValidation.dns1123Subdomain("a.b-c.d").isEmpty)
        #expect(NameValidation.dns1123Subdomain("a..b").count == 1)
        #expect(NameValidation.qualifiedName("example.com/My_Name").isEmpty)
        #expect(NameValidation.qualifiedName("/a") == ["prefix part must be non-empty"])
        #expect(NameValidation.qualifiedName("a/b/c").first?.hasPrefix("a qualified name must consist of") == true)
        #expect(NameValidation.qualifiedName("Bad_/x").first?.hasPrefix("prefix part a lowercase RFC 1123 subdomain") == true)
        #expect(NameValidation.labelValue("").isEmpty)
        #expect(NameValidation.labelValue("-x").count == 1)
        #expect(NameValidation.portName("http").isEmpty)
        #expect(NameValidation.portName("a--b") == ["must not contain consecutive hyphens"])
        #expect(NameValidation.portName("123") == ["must contain at least one letter (a-z)"])
    }

    @Test func containerNameLengthBoundary() {
        let n63 = String(repeating: "a", count: 63)
        #expect(errors(podYAML().replacingOccurrences(of: "name: app", with: "name: \(n63)")).isEmpty)
        let n64 = n63 + "a"
        #expect(
            errors(podYAML().replacingOccurrences(of: "name: app", with: "name: \(n64)")) == [
                "spec.containers[0].name: Invalid value: \"\(n64)\": must be no more than 63 characters"
            ])
    }

    @Test func duplicateNamesAcrossInitAndRegularContainers() {
        let e = errors(
            podYAML(
                spec:
                    "  initContainers:\n  - name: app\n    image: busybox:1\n  - name: setup\n    image: busybox:1\n  - name: setup\n    image: busybox:1\n"
            ))
        #expect(
            e == [
                "spec.initContainers[0].name: Duplicate value: \"app\"",
                "spec.initContainers[2].name: Duplicate value: \"setup\"",
            ])
    }

    @Test func allErrorsOfADocumentAreReported() {
        let yaml =
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\n  namespace: Prod\n  labels: {\"bad key!\": ok}\nspec:\n  restartPolicy: Sometimes\n  activeDeadlineSeconds: 0\n  containers:\n  - name: A\n    image: \"\"\n    imagePullPolicy: Sometimes\n    terminationMessagePolicy: Loud\n"
        let e = errors(yaml)
        for expected in [
            "metadata.name: Invalid value: \"Bad_Name\"",
            "metadata.namespace: Invalid value: \"Prod\": a lowercase RFC 1123 label",
            "metadata.labels: Invalid value: \"bad key!\": name part must consist of",
            "spec.containers[0].name: Invalid value: \"A\"",
            "spec.containers[0].image: Required value",
            "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"",
            "spec.containers[0].terminationMessagePolicy: Unsupported value: \"Loud\": supported values: \"File\", \"FallbackToLogsOnError\"",
            "spec.restartPolicy: Unsupported value: \"Sometimes\"",
            "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive",
        ] {
            #expect(e.contains { $0.hasPrefix(expected) }, "missing \(expected) in \(e)")
        }
        #expect(e.count == 9)
    }

    @Test func deadlineAndGracePeriodBounds() {
        #expect(errors(podYAML(spec: "  activeDeadlineSeconds: 2147483647\n")).isEmpty)
        #expect(
            errors(podYAML(spec: "  activeDeadlineSeconds: 2147483648\n")) == [
                "spec.activeDeadlineSeconds: Invalid value: 2147483648: must be between 1 and 2147483647, inclusive"
            ])
        #expect(errors(podYAML(spec: "  terminationGracePeriodSeconds: 0\n")).isEmpty)
        #expect(
            errors(podYAML(spec: "  terminationGracePeriodSeconds: -5\n")) == [
                "spec.terminationGracePeriodSeconds: Invalid value: -5: must be greater than or equal to 0"
            ])
    }

    @Test func portRules() {
        let yaml = podYAML().replacingOccurrences(
            of: "image: nginx:1.25\n",
            with:
                "image: nginx:1.25\n    ports:\n    - {containerPort: 0}\n    - {containerPort: 70000, name: web, protocol: HTTP}\n    - {containerPort: 80, name: web, hostPort: 8080}\n    - {containerPort: 81, hostPort: 8080}\n"
        )
        #expect(
            errors(yaml) == [
                "spec.containers[0].ports[0].containerPort: Required value",
                "spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                "spec.containers[0].ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                "spec.containers[0].ports[2].name: Duplicate value: \"web\"",
                "spec.containers[0].ports[3].hostPort: Duplicate value: \"/TCP/8080\"",
            ])
    }

    @Test func envAndMounts() {
        let yaml = podYAML(spec: "  volumes:\n  - name: data\n    emptyDir: {}\n").replacingOccurrences(
            of: "image: nginx:1.25\n",
            with: """
                image: nginx:1.25
                    env:
                    - name: ""
                    - name: "A=B"
                    - name: X
                      value: v
                      valueFrom: {secretKeyRef: {name: s, key: k}}
                    - name: YY
                      valueFrom: {}
                    volumeMounts:
                    - {name: data, mountPath: /data}
                    - {name: missing, mountPath: /data}

                """)
        #expect(
            errors(yaml) == [
                "spec.containers[0].env[0].name: Required value",
                "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
                "spec.containers[0].env[2].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty",
                "spec.containers[0].env[3].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
                "spec.containers[0].volumeMounts[1].name: Not found: \"missing\"",
                "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique",
            ])
    }

    @Test func probesAndInitContainerRules() {
        let yaml = podYAML(
            spec:
                "  initContainers:\n  - name: init\n    image: busybox:1\n    readinessProbe: {exec: {command: [x]}}\n  - name: sidecar\n    image: busybox:1\n    restartPolicy: Always\n    readinessProbe: {exec: {command: [x]}}\n"
        ).replacingOccurrences(
            of: "image: nginx:1.25\n",
            with:
                "image: nginx:1.25\n    livenessProbe: {successThreshold: 2, exec: {command: [x]}, httpGet: {port: 80}}\n    startupProbe: {periodSeconds: 1}\n"
        )
        #expect(
            errors(yaml) == [
                "spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type",
                "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
                "spec.containers[0].startupProbe: Required value: must specify a handler type",
                "spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers",
            ])
    }

    @Test func volumeRules() {
        let yaml = podYAML(
            spec:
                "  volumes:\n  - name: a\n    emptyDir: {}\n  - name: a\n    emptyDir: {}\n  - name: Bad\n    hostPath: {path: \"\"}\n  - name: two\n    emptyDir: {}\n    secret: {secretName: s}\n"
        )
        #expect(
            errors(yaml) == [
                "spec.volumes[1].name: Duplicate value: \"a\"",
                "spec.volumes[2].name: Invalid value: \"Bad\": "
                    + NameValidation.regexError(
                        NameValidation.dns1123LabelMessage, NameValidation.dns1123LabelFormat, examples: ["my-name", "123-abc"]),
                "spec.volumes[2].hostPath.path: Required value",
                "spec.volumes[3].secret: Forbidden: may not specify more than 1 volume type",
            ])
    }

    @Test func resourcesRules() {
        let yaml = podYAML().replacingOccurrences(
            of: "image: nginx:1.25\n",
            with: "image: nginx:1.25\n    resources:\n      limits: {cpu: 500m, gpu: \"1\"}\n      requests: {cpu: \"1\", memory: \"-1\"}\n"
        )
        #expect(
            errors(yaml) == [
                "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource for containers",
                "spec.containers[0].resources.requests: Invalid value: \"1\": must be less than or equal to cpu limit of 500m",
                // requests[gpu] was defaulted from the limit, so it is reported too, as the API server does.
                "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource for containers",
                "spec.containers[0].resources.requests[memory]: Invalid value: \"-1\": must be greater than or equal to 0",
            ])
    }

    @Test func tolerationsGatesAndDNS() {
        let yaml = podYAML(
            spec:
                "  dnsPolicy: None\n  tolerations:\n  - {operator: Equal, value: x}\n  - {key: k, operator: Exists, value: v}\n  - {key: k, effect: Sometimes, tolerationSeconds: 5}\n  schedulingGates: [{name: a}, {name: a}]\n"
        )
        #expect(
            errors(yaml) == [
                "spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None",
                "spec.schedulingGates[1]: Duplicate value: \"a\"",
                "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
                "spec.tolerations[1].operator: Invalid value: {\"key\":\"k\",\"operator\":\"Exists\",\"value\":\"v\"}: value must be empty when `operator` is 'Exists'",
                "spec.tolerations[2].effect: Invalid value: \"Sometimes\": effect must be 'NoExecute' when `tolerationSeconds` is set",
                "spec.tolerations[2].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
            ])
    }

    @Test func ephemeralContainersAreForbiddenOnCreate() {
        let e = errors(podYAML(spec: "  ephemeralContainers:\n  - name: debug\n    image: busybox:1\n"))
        #expect(e == ["spec.ephemeralContainers: Forbidden: cannot be set on create"])
    }

    @Test func imageReferenceChecks() {
        #expect(
            errors(podYAML(image: "\"busy\\tbox\"")) == [
                "spec.containers[0].image: Invalid value: \"busy\\tbox\": invalid reference format"
            ])
        #expect(
            errors(podYAML(image: "\" nginx\"")) == [
                "spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace"
            ])
        // Not a valid reference, but the API server admits it; the runtime reports it on pull.
        #expect(errors(podYAML(image: "\"<your-private-image>\"")).isEmpty)
    }

    @Test func generateNameGetsAStableName() throws {
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: worker-\nspec:\n  containers: [{name: a, image: busybox:1}]\n"
        let first = try #require(load(yaml, name: "/etc/pods/w.yaml").pods.first?.pod.metadata.name)
        let again = try #require(load(yaml, name: "/other/w.yaml").pods.first?.pod.metadata.name)
        #expect(first == again)
        #expect(first.hasPrefix("worker-") && first.count == "worker-".count + 5)
        let other = try #require(load(yaml, name: "/etc/pods/v.yaml").pods.first?.pod.metadata.name)
        #expect(other != first)
        #expect(
            load(yaml.replacingOccurrences(of: "worker-", with: "Worker_"), name: "w.yaml").messages.first?.hasPrefix(
                "metadata.generateName: Invalid value: \"Worker_\"") == true)
    }

    @Test func annotationKeysAndSize() {
        let big = String(repeating: "x", count: 262_144)
        let e = errors(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    ok/fine: \(big)\n    \"-bad\": x\nspec:\n  containers: [{name: a, image: busybox:1}]\n"
        )
        #expect(e.count == 2)
        #expect(e.contains { $0.hasPrefix("metadata.annotations: Invalid value: \"-bad\": name part must consist of") })
        #expect(e.contains("metadata.annotations: Too long: may not be more than 262144 bytes"))
    }
}
