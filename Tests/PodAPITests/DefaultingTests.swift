import Testing

@testable import PodAPI

@Suite struct DefaultingTests {
    @Test func podAndContainerDefaults() throws {
        let pod = try #require(defaultedPod(podYAML(image: "nginx:1.25", spec: "  initContainers:\n  - name: init\n    image: busybox\n")))
        #expect(pod.metadata.namespace == "default")
        #expect(pod.spec.restartPolicy == "Always")
        #expect(pod.spec.terminationGracePeriodSeconds == 30)
        #expect(pod.spec.other["dnsPolicy"] == .string("ClusterFirst"))
        #expect(pod.spec.other["schedulerName"] == .string("default-scheduler"))
        #expect(pod.spec.other["securityContext"] == .object([:]))
        #expect(pod.spec.other["enableServiceLinks"] == .bool(true))
        let c = pod.spec.containers[0]
        #expect(c.imagePullPolicy == "IfNotPresent")
        #expect(c.terminationMessagePath == "/dev/termination-log")
        #expect(c.terminationMessagePolicy == "File")
        let i = try #require(pod.spec.initContainers?.first)
        #expect(i.imagePullPolicy == "Always")
        #expect(i.terminationMessagePolicy == "File")
    }

    @Test func explicitValuesAreKept() throws {
        let yaml =
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: prod}\nspec:\n  restartPolicy: Never\n  terminationGracePeriodSeconds: 5\n  dnsPolicy: Default\n  containers:\n  - name: a\n    image: nginx\n    imagePullPolicy: Never\n    terminationMessagePolicy: FallbackToLogsOnError\n"
        let pod = try #require(defaultedPod(yaml))
        #expect(pod.metadata.namespace == "prod")
        #expect(pod.spec.restartPolicy == "Never")
        #expect(pod.spec.terminationGracePeriodSeconds == 5)
        #expect(pod.spec.other["dnsPolicy"] == .string("Default"))
        #expect(pod.spec.containers[0].imagePullPolicy == "Never")
        #expect(pod.spec.containers[0].terminationMessagePolicy == "FallbackToLogsOnError")
    }

    @Test(arguments: [
        ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.25", "IfNotPresent"),
        ("localhost:5000/app", "Always"), ("localhost:5000/app:1.0", "IfNotPresent"),
        ("busybox@sha256:" + String(repeating: "a", count: 64), "IfNotPresent"),
        ("busybox:latest@sha256:" + String(repeating: "a", count: 64), "Always"),
        ("<not an image>", "IfNotPresent"), ("", "IfNotPresent"),
    ])
    func pullPolicyFollowsTheTag(_ image: String, _ policy: String) {
        #expect(PodDefaulting.defaultPullPolicy(forImage: image) == policy)
    }

    @Test func portsProbesEnvAndResources() throws {
        let yaml = """
            apiVersion: v1
            kind: Pod
            metadata: {name: a}
            spec:
              containers:
              - name: a
                image: nginx:1
                ports: [{containerPort: 80}, {containerPort: 53, protocol: UDP}]
                livenessProbe:
                  httpGet: {port: 80}
                readinessProbe:
                  exec: {command: ["true"]}
                  periodSeconds: 3
                lifecycle:
                  preStop: {httpGet: {port: 8080, path: /quit}}
                env:
                - name: POD
                  valueFrom: {fieldRef: {fieldPath: metadata.name}}
                resources:
                  limits: {cpu: "1", memory: 1Gi}
                  requests: {cpu: 500m}
            """
        let pod = try #require(defaultedPod(yaml))
        let bag = JSONValue.object(pod.spec.containers[0].other)
        #expect(bag.array("ports").map { $0.string("protocol") } == ["TCP", "UDP"])
        #expect(bag.array("ports").allSatisfy { $0["hostPort"] == nil })
        let live = try #require(bag.object("livenessProbe"))
        #expect(live.integer("timeoutSeconds") == 1)
        #expect(live.integer("periodSeconds") == 10)
        #expect(live.integer("successThreshold") == 1)
        #expect(live.integer("failureThreshold") == 3)
        #expect(live.object("httpGet")?.string("path") == "/")
        #expect(live.object("httpGet")?.string("scheme") == "HTTP")
        #expect(bag.object("readinessProbe")?.integer("periodSeconds") == 3)
        #expect(bag.object("startupProbe") == nil)
        #expect(bag.object("lifecycle")?.object("preStop")?.object("httpGet")?.string("path") == "/quit")
        #expect(bag.object("lifecycle")?.object("preStop")?.object("httpGet")?.string("scheme") == "HTTP")
        #expect(bag.array("env").first?.object("valueFrom")?.object("fieldRef")?.string("apiVersion") == "v1")
        #expect(bag.object("resources")?.object("requests") == .object(["cpu": .string("500m"), "memory": .string("1Gi")]))
    }

    @Test func hostNetworkCopiesContainerPortToHostPort() throws {
        let pod = try #require(
            defaultedPod(
                podYAML(spec: "  hostNetwork: true\n").replacingOccurrences(
                    of: "image: nginx:1.25\n", with: "image: nginx:1.25\n    ports: [{containerPort: 8080}]\n")))
        #expect(JSONValue.object(pod.spec.containers[0].other).array("ports").first?.integer("hostPort") == 8080)
    }

    @Test func volumeDefaults() throws {
        let yaml = podYAML(
            spec: """
                  volumes:
                  - name: scratch
                  - name: s
                    secret: {secretName: s}
                  - name: c
                    configMap: {name: c, defaultMode: 256}
                  - name: h
                    hostPath: {path: /tmp}
                  - name: p
                    projected:
                      sources:
                      - serviceAccountToken: {path: token}

                """)
        let pod = try #require(defaultedPod(yaml))
        let vols = JSONValue.object(pod.spec.other).array("volumes")
        #expect(vols[0]["emptyDir"] == .object([:]))
        #expect(vols[1].object("secret")?.integer("defaultMode") == 420)
        #expect(vols[2].object("configMap")?.integer("defaultMode") == 256)
        #expect(vols[3].object("hostPath")?.string("type") == "")
        #expect(vols[4].object("projected")?.integer("defaultMode") == 420)
        #expect(vols[4].object("projected")?.array("sources").first?.object("serviceAccountToken")?.integer("expirationSeconds") == 3600)
    }

    @Test func defaultingIsIdempotent() throws {
        let once = try #require(defaultedPod(podYAML(image: "nginx")))
        var twice = once
        PodDefaulting.apply(to: &twice)
        #expect(once == twice)
        #expect(PodDefaulting.applied(to: once) == once)
    }
}
